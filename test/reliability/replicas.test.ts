import type { ConnectionId } from '@tokenlane/core';
import { openTokens } from '@tokenlane/lifecycle';
import { JobQueues } from '@tokenlane/queue';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  linkConcurrently,
  refreshRequestsByConnection,
  refreshTokenOwners,
  tally,
  unfinishedJobs,
} from '../support/bursts.js';
import { activeAtPeer, startOidcStack, type OidcStack } from '../support/oidc-stack.js';
import type { Api, ApiResponse, IngressReplica } from '../support/stack.js';

let oidc: OidcStack;
let second: IngressReplica;
let queues: JobQueues;

beforeAll(async () => {
  oidc = await startOidcStack({
    clientId: 'replicas',
    proxy: true,
    env: { TOKENLANE_SWEEP_INTERVAL_MS: '300' },
  });
  // Two of each, on the same Redis and Postgres, as behind a load balancer.
  second = await oidc.stack.startIngress();
  await oidc.stack.startWorker();
  queues = new JobQueues(oidc.stack.redis, oidc.stack.prefix);
}, 90_000);

afterAll(async () => {
  await queues.close();
  await oidc.close();
});

describe('two ingress and two worker replicas during a refresh wave', () => {
  it('token requests, refresh calls and 401 reports through both ingresses refresh each connection once', async () => {
    const ids = await linkConcurrently(oidc, 'replica', 30);
    const owners = await refreshTokenOwners(oidc, ids);
    const rows = await Promise.all(ids.map((id) => oidc.row(id)));
    const before = new Map(rows.map((row) => [row.id, row.tokenVersion]));
    const oldAccess = new Map(
      rows.map((row) => [row.id, openTokens(oidc.stack.keyRing, row).accessToken!.reveal()]),
    );
    const proxy = oidc.proxy!;
    const seen = proxy.requests.length;
    // The peer's answers wait until every call has been taken in, so each one sees the same
    // expired token: the calls race each other, not a refresh that already finished (a refresh
    // asked for after that would rightly be a second one).
    proxy.setMode({ kind: 'hold' });
    // Every access token expired, and every connection due: the sweeper joins in as well.
    await oidc.stack.db.db
      .updateTable('connections')
      .set({ expires_at: new Date(Date.now() - 1_000), refresh_due_at: new Date() })
      .where('id', 'in', ids)
      .execute();

    const ingresses: Api[] = [oidc.stack.api, second.api];
    const calls: { kind: string; id: ConnectionId; done: Promise<ApiResponse> }[] = [];
    for (const id of ids) {
      for (const api of ingresses) {
        const path = `/v1/connections/${id}`;
        calls.push(
          { kind: 'token', id, done: api('GET', `${path}/token`) },
          { kind: 'token', id, done: api('GET', `${path}/token`) },
          { kind: 'refresh', id, done: api('POST', `${path}/refresh`) },
          {
            kind: 'unauthorized',
            id,
            done: api('POST', `${path}/unauthorized`, { accessToken: oldAccess.get(id) }),
          },
        );
      }
    }
    const answered = Promise.all(calls.map(async (call) => ({ ...call, ...(await call.done) })));
    // The refresh and 401 calls answer without waiting; the token calls wait (up to 10 s).
    await Promise.all(calls.filter((call) => call.kind !== 'token').map((call) => call.done));
    await vi.waitFor(
      () => {
        const held = refreshRequestsByConnection(proxy.requests.slice(seen), owners);
        expect(ids.filter((id) => held.get(id)!.length === 0)).toEqual([]);
      },
      { timeout: 8_000, interval: 50 },
    );
    const heldAtRelease = proxy.requests.length - seen;
    proxy.setMode({ kind: 'pass' });
    proxy.release();
    const responses = await answered;

    await vi.waitFor(
      async () => {
        expect(await unfinishedJobs(queues, ['refresh', 'reauth'])).toBe(0);
      },
      { timeout: 60_000, interval: 250 },
    );
    const after = await Promise.all(ids.map((id) => oidc.row(id)));
    const requests = refreshRequestsByConnection(proxy.requests.slice(seen), owners);
    const grants = ids.map((id) => requests.get(id)!.length);
    const alive = await Promise.all(
      after.map((row) =>
        activeAtPeer(oidc, openTokens(oidc.stack.keyRing, row).refreshToken!.reveal()),
      ),
    );
    const reauth = await queues.queue('reauth').getJobs(['completed', 'failed']);
    const reauthOutcomes = reauth
      .filter((job) => ids.includes((job.data as { connectionId: ConnectionId }).connectionId))
      .map((job) => (job.returnvalue as { status: string } | undefined)?.status ?? 'failed');
    console.log(
      `${ids.length} connections, ${calls.length} calls over 2 ingresses and 2 workers, ` +
        `${heldAtRelease} token requests held at the peer until all were in: ` +
        `answers ${JSON.stringify(tally(responses.map((r) => `${r.kind} ${r.status}`)))}, ` +
        `token requests at the peer per connection ${JSON.stringify(tally(grants))}, ` +
        `reauth jobs ${JSON.stringify(tally(reauthOutcomes))}, ` +
        `statuses ${JSON.stringify(tally(after.map((row) => `${row.status} ${row.lastErrorCode}`)))}, ` +
        `stored refresh tokens honored by the peer ${JSON.stringify(tally(alive))}`,
    );

    // At the peer: exactly one refresh grant per connection, none refused (rotation is on:
    // a second one would have spent the rotated token and answered invalid_grant).
    expect(tally(grants)).toEqual({ 1: ids.length });
    for (const id of ids) expect(requests.get(id)![0]).toMatchObject({ status: 200 });
    // The stored tokens still work: no reuse made the peer revoke a grant behind our back.
    expect(alive).toEqual(ids.map(() => true));
    for (const row of after) {
      expect(row).toMatchObject({
        tokenVersion: before.get(row.id)! + 1,
        status: 'active',
        lastErrorCode: null,
      });
    }
    // Every caller got the one new token; every report and refresh call was accepted.
    for (const response of responses) {
      if (response.kind === 'token') {
        expect(response.status).toBe(200);
        const current = openTokens(oidc.stack.keyRing, after[ids.indexOf(response.id)]!);
        expect((response.body as { accessToken: string }).accessToken).toBe(
          current.accessToken!.reveal(),
        );
      } else {
        // Reports name the token the peer had not replaced yet: none is stale.
        expect(response).toMatchObject({
          status: 202,
          body: { status: response.kind === 'refresh' ? 'refreshing' : 'accepted' },
        });
      }
    }
  }, 120_000);
});
