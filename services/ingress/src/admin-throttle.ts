import type { Runtime } from '@tokenlane/runtime';
import { countAttempt } from './attempt-counter.js';
import { addressGroup } from './client-address.js';

/** Failed admin logins one address (an IPv6 /64) may make per window before 429. */
export const ADMIN_FAILURES_PER_WINDOW = 10;
export const ADMIN_WINDOW_SECONDS = 60;

/** Where the throttle stands for an address: over the limit, and for how long. */
export type ThrottleState =
  { readonly limited: false } | { readonly limited: true; readonly retryAfterSeconds: number };

const keyOf = (rt: Runtime, ip: string) =>
  `${rt.config.queuePrefix}:admin-login-failures:${addressGroup(ip)}`;

/**
 * Whether `ip` already used up its failed logins: checked before the password is, so an
 * address over the limit learns nothing more, not even from the right password. Counted in
 * Redis, so every replica agrees.
 */
export async function adminThrottle(rt: Runtime, ip: string): Promise<ThrottleState> {
  const key = keyOf(rt, ip);
  const [count, ttl] = await Promise.all([rt.redis.get(key), rt.redis.ttl(key)]);
  if (Number(count ?? 0) < ADMIN_FAILURES_PER_WINDOW) return { limited: false };
  return { limited: true, retryAfterSeconds: Math.max(1, ttl) };
}

/** Counts a failed login (one atomic increment); limited once it is past the limit. */
export async function countAdminFailure(rt: Runtime, ip: string): Promise<ThrottleState> {
  const { count, retryAfterSeconds } = await countAttempt(
    rt.redis,
    keyOf(rt, ip),
    ADMIN_WINDOW_SECONDS,
  );
  return count > ADMIN_FAILURES_PER_WINDOW
    ? { limited: true, retryAfterSeconds }
    : { limited: false };
}
