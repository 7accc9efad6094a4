import { appendConnectionEvent, type Connection } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';

/**
 * Who read which token through the token API: a per-key counter always; with
 * TOKENLANE_AUDIT_TOKEN_READS=true also a `connection.token_read` event naming the key's name
 * (never the key itself).
 */
export async function recordTokenRead(
  ctx: Pick<LifecycleContext, 'db' | 'metrics' | 'config'>,
  connection: Connection,
  keyName: string,
): Promise<void> {
  ctx.metrics.tokenReads.inc({ key: keyName });
  if (!ctx.config.auditTokenReads) return;
  await appendConnectionEvent(ctx.db, connection, {
    type: 'connection.token_read',
    data: { key: keyName },
  });
}
