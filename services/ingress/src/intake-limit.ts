import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Runtime } from '@tokenlane/runtime';
import { countAttempt } from './attempt-counter.js';
import { addressGroup } from './client-address.js';
import { errorHandler, toHttpError } from './error-handler.js';
import { HttpError } from './errors.js';

/** Refused intake requests one source address may make per window; later ones get 429. */
export const INTAKE_FAILURES_PER_WINDOW = 30;
export const INTAKE_WINDOW_SECONDS = 60;

/** Answers that mean "you do not know the secret" (or the signature key, or the provider). */
const FAILED = new Set([400, 401, 404]);

/**
 * Counts refused provider-notice attempts per source address (an IPv6 /64 as one), across
 * every ingress replica, with one atomic Redis increment each. Past
 * {@link INTAKE_FAILURES_PER_WINDOW} in a minute a refused attempt is answered 429 instead, so
 * a prober sees nothing but 429s. Only refusals are counted and only refusals are turned
 * into 429: a notice that verifies is always accepted, so a client sharing an address with a
 * provider (a load balancer without `TOKENLANE_TRUST_PROXY`, a NAT) can never silence it.
 * Installed as the webhook routes' own error handler, where every refusal passes.
 */
export function limitIntakeFailures(app: FastifyInstance, rt: Runtime): void {
  app.setErrorHandler(async (error, request, reply) => {
    const refused = toHttpError(error);
    if (!FAILED.has(refused.status)) {
      errorHandler(refused, request, reply);
      return reply;
    }
    const key = `${rt.config.queuePrefix}:intake-failures:${addressGroup(request.ip)}`;
    errorHandler((await overLimit(rt, key, request.log)) ?? refused, request, reply);
    return reply;
  });
}

/** The 429 for an address past the limit once this refusal is counted, else undefined. */
async function overLimit(
  rt: Runtime,
  key: string,
  log: FastifyBaseLogger,
): Promise<HttpError | undefined> {
  try {
    const { count, retryAfterSeconds } = await countAttempt(rt.redis, key, INTAKE_WINDOW_SECONDS);
    if (count <= INTAKE_FAILURES_PER_WINDOW) return undefined;
    return new HttpError(429, 'rate_limited', 'Too many refused notifications from this address', {
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  } catch (error) {
    // Counting is a defence, not a gate: Redis trouble must not turn refusals into 500s.
    log.warn({ err: error }, 'could not count a refused notification');
    return undefined;
  }
}
