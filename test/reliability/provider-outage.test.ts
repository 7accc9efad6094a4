import type { ConnectionId } from '@tokenlane/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  linkConcurrently,
  refreshRequestsByConnection,
  refreshTokenOwners,
} from '../support/bursts.js';
import type { FaultProxy } from '../support/fault-proxy.js';
import { startOidcStack, type OidcStack } from '../support/oidc-stack.js';

/** The provider timeout of the services under test (the built-in one is 15 s). */
const TIMEOUT_MS = 2_000;

let oidc: OidcStack;
let proxy: FaultProxy;

beforeAll(async () => {
  oidc = await startOidcStack({
    clientId: 'provider-outage',
    proxy: true,
    env: {
      TOKENLANE_SWEEP_INTERVAL_MS: '300',
      TOKENLANE_PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS),
      // Probes of the paused provider after 1 s, 2 s, 4 s…: the test sees several.
      TOKENLANE_PROVIDER_PROBE_SECONDS: '1',
    },
  });
  proxy = oidc.proxy!;
}, 90_000);

afterAll(async () => {
  await oidc.close();
});

interface Progress {
  readonly id: ConnectionId;
  readonly token_version: number;
  readonly status: string;
  readonly refresh_attempts: number;
  readonly last_error_code: string | null;
}

const progress = (ids: readonly ConnectionId[]): Promise<Progress[]> =>
  oidc.stack.db.db
    .selectFrom('connections')
    .select(['id', 'token_version', 'status', 'refresh_attempts', 'last_error_code'])
    .where('id', 'in', [...ids])
    .execute();

interface Failure {
  readonly at: number;
  readonly attempt: number;
  readonly code: string;
  readonly retryable: boolean;
}

/** Each connection's `connection.refresh_failed` events, oldest first. */
async function failuresOf(ids: readonly ConnectionId[]): Promise<Map<ConnectionId, Failure[]>> {
  const events = await oidc.stack.db.db
    .selectFrom('events')
    .select(['connection_id', 'data', 'created_at'])
    .where('type', '=', 'connection.refresh_failed')
    .where('connection_id', 'in', [...ids])
    .orderBy('seq')
    .execute();
  const byConnection = new Map<ConnectionId, Failure[]>(ids.map((id) => [id, []]));
  for (const event of events) {
    const data = event.data as { attempt: number; code: string; retryable: boolean };
    byConnection.get(event.connection_id!)!.push({ at: event.created_at.getTime(), ...data });
  }
  return byConnection;
}

/** The provider-level events (`provider.unhealthy`, `provider.recovered`) so far. */
const providerEvents = async () =>
  (
    await oidc.stack.db.db
      .selectFrom('events')
      .select('type')
      .where('connection_id', 'is', null)
      .where('type', 'in', ['provider.unhealthy', 'provider.recovered'])
      .orderBy('seq')
      .execute()
  ).map((event) => event.type);

const failureCount = async (ids: readonly ConnectionId[]) =>
  [...(await failuresOf(ids)).values()].reduce((sum, list) => sum + list.length, 0);

/** Waits until the provider's breaker has opened (once more than `opened` times so far). */
async function waitForPause(opened: number) {
  await vi.waitFor(
    async () => {
      const unhealthy = (await providerEvents()).filter((type) => type === 'provider.unhealthy');
      expect(unhealthy.length).toBeGreaterThan(opened);
    },
    { timeout: 60_000, interval: 200 },
  );
}

const versionsOf = async (ids: readonly ConnectionId[]) =>
  new Map((await progress(ids)).map((row) => [row.id, row.token_version]));

/** Waits until every connection holds tokens one version past `before`. */
async function waitForRecovery(ids: readonly ConnectionId[], before: Map<ConnectionId, number>) {
  await vi.waitFor(
    async () => {
      const rows = await progress(ids);
      expect(rows.filter((row) => row.token_version === before.get(row.id)! + 1)).toHaveLength(
        ids.length,
      );
    },
    { timeout: 60_000, interval: 250 },
  );
  const rows = await progress(ids);
  for (const row of rows) {
    expect(row).toMatchObject({
      token_version: before.get(row.id)! + 1,
      status: 'active',
      refresh_attempts: 0,
      last_error_code: null,
    });
  }
}

describe('a provider that is down or stuck while the worker refreshes a burst', () => {
  it('down (connection refused): one attempt per connection, the provider pauses, probes, then one refresh each', async () => {
    const ids = await linkConcurrently(oidc, 'down', 30);
    const owners = await refreshTokenOwners(oidc, ids);
    const before = await versionsOf(ids);
    const opened = (await providerEvents()).filter((t) => t === 'provider.unhealthy').length;
    const seen = proxy.requests.length;
    await proxy.refuseConnections();
    const downAt = Date.now();
    // Access tokens already expired: failing refreshes make the connections `degraded`.
    await oidc.stack.db.db
      .updateTable('connections')
      .set({ expires_at: new Date(Date.now() - 1_000), refresh_due_at: new Date() })
      .where('id', 'in', ids)
      .execute();
    // Most calls fail: the provider pauses; after that only its probes go out.
    await waitForPause(opened);
    const atPause = await failureCount(ids);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    // Callers asking for a refresh meanwhile are accepted, but send nothing to the provider.
    for (const id of ids) {
      expect((await oidc.stack.api('POST', `/v1/connections/${id}/refresh`)).status).toBe(202);
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterWait = await failureCount(ids);
    // At most one failed attempt per connection (the next waits out a backoff of 20 s or
    // more), the pause's probes among them: no loop, however long the outage.
    expect(afterWait).toBeLessThanOrEqual(ids.length + 4);
    const rows = await progress(ids);
    for (const row of rows) {
      // The persisted backoff (at least 20 s) allows one attempt per connection here.
      expect(row.refresh_attempts).toBeLessThanOrEqual(2);
      if (row.refresh_attempts > 0) {
        expect(row).toMatchObject({ status: 'degraded', last_error_code: 'network' });
      }
    }
    const failures = await failuresOf(ids);
    for (const list of failures.values()) {
      expect(list.every((f) => f.code === 'network' && f.retryable)).toBe(true);
    }
    expect(proxy.requests.length).toBe(seen);

    await proxy.acceptConnections();
    const outageMs = Date.now() - downAt;
    // Their backoff would end within a minute; the test does not wait for it.
    await oidc.makeDue(ids);
    await waitForRecovery(ids, before);
    const recoveryMs = Date.now() - downAt - outageMs;
    expect((await providerEvents()).at(-1)).toBe('provider.recovered');

    // At the peer: one refresh per connection, answered and stored; nothing spent twice.
    const requests = refreshRequestsByConnection(proxy.requests.slice(seen), owners);
    for (const id of ids) {
      expect(requests.get(id)!.map((r) => [r.status, r.delivered])).toEqual([[200, true]]);
    }
    const attempts = ids.map((id) => failures.get(id)!.length);
    console.log(
      `provider down ${outageMs} ms: ${afterWait} failed attempts for ${ids.length} connections ` +
        `(${Math.min(...attempts)}-${Math.max(...attempts)} each, ${afterWait - atPause} after the pause), ` +
        `recovered in ${recoveryMs} ms with 1 refresh per connection at the peer`,
    );
  }, 150_000);

  it('stuck (requests time out): one request per attempt, never re-sent, then one refresh each', async () => {
    const ids = await linkConcurrently(oidc, 'stuck', 20);
    const owners = await refreshTokenOwners(oidc, ids);
    const before = await versionsOf(ids);
    const opened = (await providerEvents()).filter((t) => t === 'provider.unhealthy').length;
    const seen = proxy.requests.length;
    proxy.setMode({ kind: 'hang' });
    const stuckAt = Date.now();
    await oidc.makeDue(ids);
    // Either every connection has failed once (and backs off), or the provider paused first
    // (whether it does depends on the health window the previous test left behind).
    await vi.waitFor(
      async () => {
        const paused =
          (await providerEvents()).filter((t) => t === 'provider.unhealthy').length > opened;
        const failedOnce = (await progress(ids)).every((row) => row.refresh_attempts >= 1);
        expect(paused || failedOnce).toBe(true);
      },
      { timeout: 60_000, interval: 200 },
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const row of await progress(ids)) {
      if (row.refresh_attempts > 0) expect(row.last_error_code).toBe('timeout');
    }

    proxy.setMode({ kind: 'pass' });
    const outageMs = Date.now() - stuckAt;
    await oidc.makeDue(ids);
    await waitForRecovery(ids, before);
    const recoveryMs = Date.now() - stuckAt - outageMs;

    // A request that timed out may have reached the provider, which may have rotated: it is
    // never re-sent. So the proxy saw exactly one request per recorded failure, each held
    // until the client gave up, then the one that succeeded.
    const requests = refreshRequestsByConnection(proxy.requests.slice(seen), owners);
    const failures = await failuresOf(ids);
    const attempts: number[] = [];
    for (const id of ids) {
      const list = failures.get(id)!;
      const hung = requests.get(id)!.slice(0, -1);
      expect(list.every((f) => f.code === 'timeout' && f.retryable)).toBe(true);
      expect(list.map((f) => f.attempt)).toEqual(list.map((_, i) => i + 1));
      expect(hung).toHaveLength(list.length);
      expect(hung.every((r) => !r.forwarded && r.delivered === false)).toBe(true);
      expect(requests.get(id)!.at(-1)).toMatchObject({ status: 200, delivered: true });
      expect(list.length).toBeLessThanOrEqual(2);
      attempts.push(list.length);
    }
    console.log(
      `provider stuck ${outageMs} ms (timeout ${TIMEOUT_MS} ms): attempts per connection ` +
        `${Math.min(...attempts)}-${Math.max(...attempts)}, one request each, ` +
        `recovered in ${recoveryMs} ms with 1 refresh per connection at the peer`,
    );
  }, 150_000);

  it('slow (answers after the timeout, rotation on): the unseen rotation costs a re-auth, reported as refresh_interrupted', async () => {
    const ids = await linkConcurrently(oidc, 'late', 6);
    const owners = await refreshTokenOwners(oidc, ids);
    const seen = proxy.requests.length;
    proxy.setMode({ kind: 'delay', ms: TIMEOUT_MS + 1_000 });
    await oidc.makeDue(ids);
    // Every connection's first request reached the peer after the worker had given up on it.
    await vi.waitFor(
      () => {
        const requests = refreshRequestsByConnection(proxy.requests.slice(seen), owners);
        for (const id of ids) expect(requests.get(id)![0]?.status).toBe(200);
      },
      { timeout: 30_000, interval: 100 },
    );
    await vi.waitFor(
      async () => {
        const rows = await progress(ids);
        expect(rows.every((row) => row.last_error_code === 'timeout')).toBe(true);
      },
      { timeout: 30_000, interval: 100 },
    );
    proxy.setMode({ kind: 'pass' });
    // The next attempt, without waiting out the backoff.
    await oidc.makeDue(ids);
    await vi.waitFor(
      async () => {
        const rows = await progress(ids);
        expect(rows.filter((row) => row.status === 'reauth_required')).toHaveLength(ids.length);
      },
      { timeout: 30_000, interval: 250 },
    );
    // The attempt before the refusal timed out after sending: the answer was lost, not the grant.
    for (const row of await progress(ids)) {
      expect(row.last_error_code).toBe('refresh_interrupted');
    }
    const requests = refreshRequestsByConnection(proxy.requests.slice(seen), owners);
    for (const id of ids) {
      const list = requests.get(id)!;
      // The one rotation the peer made was never delivered; the token it spent was refused next.
      expect(list.filter((r) => r.status === 200).map((r) => r.delivered)).toEqual([false]);
      expect(list.at(-1)).toMatchObject({ status: 400, delivered: true });
    }
    console.log(
      `provider answering after the ${TIMEOUT_MS} ms timeout: ${ids.length} of ${ids.length} ` +
        `connections need re-auth (refresh_interrupted), each after ${requests.get(ids[0]!)!.length} requests`,
    );
  }, 90_000);
});
