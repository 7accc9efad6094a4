import { randomUUID } from 'node:crypto';
import { buildApp } from '@tokenlane/ingress';
import { openTokens, revokeJob } from '@tokenlane/lifecycle';
import { ProviderError } from '@tokenlane/providers';
import { startWorkers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcPeer } from '../peers/oidc-peer.js';
import {
  API_KEY,
  acmeEntry,
  events,
  link,
  openRuntime,
  refreshAtPeer,
  row,
  runRevoke,
  startPeer,
  waitFor,
} from './support.js';

let peer: OidcPeer;
let opened: Awaited<ReturnType<typeof openRuntime>>;
let rt: Runtime;
let app: FastifyInstance;
let workers: Worker[];

beforeAll(async () => {
  peer = await startPeer();
  opened = await openRuntime({
    acme: acmeEntry(peer),
    // Same peer, but nothing listens where it revokes (port 9: connection refused).
    'acme-down': acmeEntry(peer, { revocationUrl: 'http://127.0.0.1:9/revoke' }),
  });
  rt = opened.runtime;
  app = buildApp({ runtime: rt });
  await app.ready();
  workers = startWorkers([revokeJob], rt, {
    connection: rt.workerConnection,
    prefix: rt.queues.prefix,
    concurrency: { revoke: 1 },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await rt.queues.queue('revoke').obliterate({ force: true });
  await app.close();
  await opened.dispose();
  await peer.close();
});

const del = (id: string, authorization = `Bearer ${API_KEY}`) =>
  app.inject({ method: 'DELETE', url: `/v1/connections/${id}`, headers: { authorization } });

describe('DELETE /v1/connections/:id', () => {
  it('revokes at the provider through the revoke worker, then wipes the tokens', async () => {
    const id = await link(rt, 'acme', 'delete-user-1');
    const refreshToken = openTokens(rt.keyRing, await row(rt, id)).refreshToken!.reveal();

    const response = await del(id);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ connectionId: id, status: 'revoking' });

    const revoked = await waitFor(async () => {
      const current = await row(rt, id);
      return current.status === 'revoked' ? current : undefined;
    });
    expect(revoked).toMatchObject({
      accessTokenEnc: null,
      refreshTokenEnc: null,
      tokenSecretEnc: null,
      refreshDueAt: null,
      revocationConfirmed: true,
    });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const written = await events(rt, id);
    expect(written.map((event) => event.type)).toEqual([
      'connection.created',
      'connection.revoked',
    ]);
    expect(written[1]!.data).toMatchObject({
      connectionId: id,
      status: 'revoked',
      reason: 'api',
      confirmed: true,
    });

    // The peer revoked the grant: the old refresh token is refused there.
    expect(await refreshAtPeer(peer, refreshToken)).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('accepts a DELETE of a revoked connection and changes nothing', async () => {
    const id = await link(rt, 'acme', 'delete-user-2');
    expect((await del(id)).statusCode).toBe(202);
    await waitFor(async () => ((await row(rt, id)).status === 'revoked' ? true : undefined));
    const before = await row(rt, id);

    const again = await del(id);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ connectionId: id, status: 'revoking' });
    // The replayed job (if the worker got to it) found the connection revoked.
    await waitFor(async () =>
      (await rt.queues.queue('revoke').getJob(`revoke-${id}`)) === undefined ? true : undefined,
    );
    expect(await row(rt, id)).toEqual(before);
    const revokedEvents = (await events(rt, id)).filter((e) => e.type === 'connection.revoked');
    expect(revokedEvents).toHaveLength(1);
    expect(await runRevoke(rt, { connectionId: id, reason: 'api' })).toEqual({
      status: 'already_revoked',
    });
  });

  it('answers 404 for unknown and malformed ids, and 401 without an API key', async () => {
    const unknown = await del(randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await del('not-a-uuid')).statusCode).toBe(404);
    expect((await del(randomUUID(), 'Bearer wrong-key')).statusCode).toBe(401);
    expect(await rt.queues.queue('revoke').getJobCounts()).toMatchObject({
      waiting: 0,
      active: 0,
      delayed: 0,
    });
  });
});

describe('the revoke job when the provider cannot be reached', () => {
  it('rethrows for the backoff, then wipes unconfirmed on the final attempt', async () => {
    const id = await link(rt, 'acme-down', 'down-user-1');
    const before = await row(rt, id);
    const payload = { connectionId: id, reason: 'api' } as const;

    const failure = await runRevoke(rt, payload, 0).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ retryable: true });
    expect(await row(rt, id)).toEqual(before);

    expect(await runRevoke(rt, payload, 5)).toEqual({ status: 'revoked', confirmed: false });
    expect(await row(rt, id)).toMatchObject({
      status: 'revoked',
      accessTokenEnc: null,
      refreshTokenEnc: null,
      revocationConfirmed: false,
    });
    const revoked = (await events(rt, id)).filter((e) => e.type === 'connection.revoked');
    expect(revoked.map((event) => event.data)).toMatchObject([{ reason: 'api', confirmed: false }]);
  });

  it('reports an unknown connection as not_found', async () => {
    expect(await runRevoke(rt, { connectionId: randomUUID(), reason: 'operator' })).toEqual({
      status: 'not_found',
    });
  });
});
