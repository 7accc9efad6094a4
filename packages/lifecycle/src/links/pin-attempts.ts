import { countWrongPin, updateLinkSession, type LinkSession } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import type { ExchangeOutcome } from './outcomes.js';
import { failLink } from './fail-link.js';

/** Wrong PINs per link: the last one ends it (a PIN is short, so guessing must stop). */
export const MAX_WRONG_PINS = 5;

/**
 * A PIN the provider refused: the link stays usable, until the {@link MAX_WRONG_PINS}th wrong one
 * fails it (`too_many_attempts`).
 */
export async function rejectPin(
  ctx: Pick<LifecycleContext, 'db'>,
  session: LinkSession,
): Promise<ExchangeOutcome> {
  const wrong = await countWrongPin(ctx.db, session.id);
  if (wrong >= MAX_WRONG_PINS) {
    await failLink(ctx, session, 'too_many_attempts');
    return { status: 'failed', code: 'too_many_attempts' };
  }
  await updateLinkSession(ctx.db, session.id, { status: 'pending', codeEnc: null });
  return { status: 'pin_rejected' };
}
