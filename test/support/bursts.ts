import type { ConnectionId } from '@tokenlane/core';
import { openTokens } from '@tokenlane/lifecycle';
import type { JobName } from '@tokenlane/lifecycle';
import type { JobQueues } from '@tokenlane/queue';
import type { ProxiedRequest } from './fault-proxy.js';
import { expect, vi } from 'vitest';
import type { OidcStack } from './oidc-stack.js';

/** Links `count` users named `<prefix>-<i>`, `width` at a time (a burst needs hundreds). */
export async function linkConcurrently(
  oidc: OidcStack,
  prefix: string,
  count: number,
  width = 8,
): Promise<ConnectionId[]> {
  const ids: ConnectionId[] = new Array<ConnectionId>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      ids[i] = await oidc.link(`${prefix}-${i}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
  return ids;
}

/** Each connection's current refresh token, to tell whose token request the proxy saw. */
export async function refreshTokenOwners(
  oidc: OidcStack,
  ids: readonly ConnectionId[],
): Promise<Map<string, ConnectionId>> {
  const owners = new Map<string, ConnectionId>();
  for (const id of ids) {
    const refreshToken = openTokens(oidc.stack.keyRing, await oidc.row(id)).refreshToken;
    if (refreshToken === undefined) throw new Error(`connection ${id} holds no refresh token`);
    owners.set(refreshToken.reveal(), id);
  }
  return owners;
}

/** The refresh requests among `requests` whose refresh token `owners` knows, per connection. */
export function refreshRequestsByConnection(
  requests: readonly ProxiedRequest[],
  owners: ReadonlyMap<string, ConnectionId>,
): Map<ConnectionId, ProxiedRequest[]> {
  const byConnection = new Map<ConnectionId, ProxiedRequest[]>();
  for (const id of owners.values()) byConnection.set(id, []);
  for (const request of requests) {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'refresh_token') continue;
    const owner = owners.get(form.get('refresh_token') ?? '');
    if (owner !== undefined) byConnection.get(owner)!.push(request);
  }
  return byConnection;
}

/**
 * Makes `ids` due while the provider answers after a second, and returns once a quarter of
 * them have been answered: two workers (50 refreshes each at a time) then have a wave in
 * flight. The provider stays slow; the answer is where this burst starts in `proxy.requests`.
 */
export async function dueWithWaveInFlight(
  oidc: OidcStack,
  ids: readonly ConnectionId[],
): Promise<number> {
  const proxy = oidc.proxy!;
  proxy.setMode({ kind: 'delay', ms: 1_000 });
  const start = proxy.requests.length;
  await oidc.makeDue(ids);
  await vi.waitFor(
    () => {
      const answered = proxy.requests.slice(start).filter((r) => r.status !== undefined);
      expect(answered.length).toBeGreaterThanOrEqual(ids.length / 4);
    },
    { timeout: 30_000, interval: 50 },
  );
  return start;
}

/** Jobs of `names` not finished yet (waiting, active, delayed, …): zero when nothing is lost. */
export async function unfinishedJobs(
  queues: JobQueues,
  names: readonly JobName[],
): Promise<number> {
  let total = 0;
  for (const name of names) {
    const counts = await queues
      .queue(name)
      .getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    total += Object.values(counts).reduce((sum, count) => sum + count, 0);
  }
  return total;
}

/** Counts of each distinct value, for assertions and log lines. */
export function tally(values: readonly unknown[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}

/** Differences between consecutive values. */
export function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, i) => time - times[i]!);
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * A backing service fails in the middle of a refresh burst: `count` connections come due while
 * the provider answers slowly (`delayMs`), `fault` runs once two token requests are in flight,
 * then the provider answers normally. Asserts that every connection was refreshed and is
 * `active`, and that readiness recovers: nothing was lost.
 */
export async function refreshBurstThrough(
  oidc: OidcStack,
  options: { label: string; count: number; delayMs: number; fault: () => Promise<void> },
): Promise<void> {
  const ids = await oidc.linkMany(options.label, options.count);
  const before = new Map((await oidc.rows(ids)).map((row) => [row.id, row.token_version]));
  const proxy = oidc.proxy!;
  proxy.setMode({ kind: 'delay', ms: options.delayMs });
  const start = proxy.arrivals.length;
  await oidc.makeDue(ids);
  await vi.waitFor(
    () => {
      expect(proxy.arrivals.length - start).toBeGreaterThanOrEqual(2);
    },
    { timeout: 15_000, interval: 50 },
  );
  await options.fault();
  proxy.setMode({ kind: 'pass' });
  await vi.waitFor(
    async () => {
      const now = await oidc.rows(ids);
      expect(now.filter((row) => row.token_version > before.get(row.id)!)).toHaveLength(ids.length);
    },
    { timeout: 60_000, interval: 250 },
  );
  expect((await oidc.rows(ids)).every((row) => row.status === 'active')).toBe(true);
  await vi.waitFor(async () => {
    expect((await oidc.stack.api('GET', '/readyz')).status).toBe(200);
  });
}
