import type { FastifyInstance } from 'fastify';
import type { Runtime } from '@tokenlane/runtime';
import { HttpError } from './errors.js';

/** Refused intake requests one source address may make per window before it is cut off. */
export const INTAKE_FAILURES_PER_WINDOW = 30;
export const INTAKE_WINDOW_SECONDS = 60;

/** Answers that mean "you do not know the secret" (or the signature key). */
const FAILED = new Set([400, 401, 404]);

/**
 * Rate-limits failed provider-notice attempts per source address, across every ingress
 * replica (a Redis counter per address and window): guessing an intake secret or signature
 * key one request at a time stops at {@link INTAKE_FAILURES_PER_WINDOW} a minute. Honest
 * providers never fail, so they never meet it. Registered on the webhook routes' scope.
 */
export function limitIntakeFailures(app: FastifyInstance, rt: Runtime): void {
  const keyOf = (ip: string) => `${rt.config.queuePrefix}:intake-failures:${ip}`;
  app.addHook('onRequest', async (request) => {
    const failures = Number((await rt.redis.get(keyOf(request.ip))) ?? 0);
    if (failures < INTAKE_FAILURES_PER_WINDOW) return;
    const ttl = await rt.redis.ttl(keyOf(request.ip));
    throw new HttpError(429, 'rate_limited', 'Too many refused notifications from this address', {
      headers: { 'retry-after': String(Math.max(1, ttl)) },
    });
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!FAILED.has(reply.statusCode)) return;
    const key = keyOf(request.ip);
    try {
      // NX: the window starts at the first failure and is never pushed back by later ones.
      await rt.redis.multi().incr(key).expire(key, INTAKE_WINDOW_SECONDS, 'NX').exec();
    } catch (error) {
      request.log.warn({ err: error }, 'could not count a refused notification');
    }
  });
}
