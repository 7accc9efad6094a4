import {
  appendConnectionEvent,
  findExpiredRefreshTokens,
  findUnannouncedExpiries,
  markExpiryAnnounced,
} from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';
import { requireReauth } from './relink.js';

const DAY_MS = 86_400_000;

/**
 * Refresh tokens that end on their own (Garmin's `refresh_token_expires_in`, Google's 7-day
 * Testing apps), run with every sweep: `TOKENLANE_EXPIRING_NOTICE_DAYS` ahead, one
 * `connection.expiring` per expiry (`data.expiresAt`: the user must re-link before then);
 * at the expiry, `reauth_required` / `refresh_token_expired` without a call that would fail.
 */
export async function noticeRefreshTokenExpiry(
  ctx: Pick<LifecycleContext, 'db' | 'config'>,
  options: { readonly now?: Date; readonly limit?: number } = {},
): Promise<{ expiring: number; expired: number }> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 500;
  let expired = 0;
  for (const connection of await findExpiredRefreshTokens(ctx.db, now, limit)) {
    const result = await requireReauth(
      ctx,
      connection,
      'refresh_token_expired',
      connection.tokenVersion,
      { expiredAt: connection.refreshTokenExpiresAt?.toISOString() ?? null },
    );
    if (result.status === 'reauth_required') expired += 1;
  }
  const until = new Date(now.getTime() + ctx.config.expiringNoticeDays * DAY_MS);
  let expiring = 0;
  for (const connection of await findUnannouncedExpiries(ctx.db, until, limit)) {
    const expiresAt = connection.refreshTokenExpiresAt;
    if (expiresAt === null || expiresAt.getTime() <= now.getTime()) continue;
    const announced = await ctx.db.transaction().execute(async (trx) => {
      if (!(await markExpiryAnnounced(trx, connection.id, expiresAt))) return false;
      await appendConnectionEvent(trx, connection, {
        type: 'connection.expiring',
        data: {
          status: connection.status,
          expiresAt: expiresAt.toISOString(),
        },
      });
      return true;
    });
    if (announced) expiring += 1;
  }
  return { expiring, expired };
}
