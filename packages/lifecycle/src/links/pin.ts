import type { ConnectionId, LinkSessionId } from '@tokenlane/core';
import { claimPinSession, findLinkSession } from '@tokenlane/db';
import { continueTrace } from '@tokenlane/tracing';
import type { LifecycleContext } from '../context.js';
import { Secret } from '@tokenlane/vault';
import { LifecycleError } from '../errors.js';
import { sealLinkSecret } from '../sealing.js';
import { exchangeJob, runExchangeJob } from './exchange.job.js';

/** How long the PIN route waits on the exchange; the user is looking at a prompt. */
const PIN_WAIT_MS = 15_000;

/**
 * Completes an out-of-band (PIN) link through the same `exchange` job as a redirect. A PIN
 * the provider refuses leaves the link usable until it expires.
 */
export async function submitPin(
  ctx: Pick<LifecycleContext, 'db' | 'keyRing' | 'queues'>,
  linkId: LinkSessionId,
  pin: string,
): Promise<{ connectionId: ConnectionId; status: 'active' }> {
  const session = await findLinkSession(ctx.db, linkId);
  if (session === undefined || session.method !== 'pin') {
    throw new LifecycleError('link_not_found', 'no PIN link with this id');
  }
  if (session.expiresAt.getTime() <= Date.now()) {
    throw new LifecycleError('link_expired', 'the link expired; start a new one');
  }
  const pinEnc = sealLinkSecret(ctx.keyRing, linkId, 'code', new Secret(pin));
  if (!(await claimPinSession(ctx.db, linkId, pinEnc))) {
    throw new LifecycleError(
      'link_not_pending',
      'the link is completed, failed or being exchanged',
    );
  }
  // A refused PIN left a finished job under this session's job id; clear it so this attempt runs.
  await ctx.queues.queue(exchangeJob.name).remove(exchangeJob.jobId({ linkSessionId: linkId }));
  // Like a callback, the PIN finishes the link in the trace its `POST /v1/links` started.
  const outcome = await continueTrace(session.traceparent, 'link pin', () =>
    runExchangeJob(ctx, linkId, PIN_WAIT_MS),
  );
  switch (outcome?.status) {
    case 'completed':
      return { connectionId: outcome.connectionId, status: 'active' };
    case 'pin_rejected':
      throw new LifecycleError('invalid_pin', 'the provider refused this PIN');
    case 'failed':
      throw new LifecycleError('link_not_pending', `the link failed: ${outcome.code}`);
    case undefined:
      throw new LifecycleError('link_not_pending', 'the exchange is still running; retry shortly');
  }
}
