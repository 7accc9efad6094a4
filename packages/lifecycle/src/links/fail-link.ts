import type { LinkFailureCode } from '@tokenlane/core';
import { appendEvent, updateLinkSession, type LinkSession } from '@tokenlane/db';
import type { LifecycleContext } from '../context.js';

/** Ends a link as failed, wipes its secrets and writes `link.failed`, in one transaction. */
export async function failLink(
  ctx: Pick<LifecycleContext, 'db'>,
  session: LinkSession,
  code: LinkFailureCode,
): Promise<LinkSession> {
  return ctx.db.transaction().execute(async (trx) => {
    const failed = await updateLinkSession(trx, session.id, {
      status: 'failed',
      errorCode: code,
      completedAt: new Date(),
      codeEnc: null,
      codeVerifierEnc: null,
      requestTokenSecretEnc: null,
      linkUrlEnc: null,
      authorizeUrlEnc: null,
    });
    await appendEvent(trx, {
      type: 'link.failed',
      linkSessionId: session.id,
      connectionId: session.connectionId ?? undefined,
      userId: session.userId,
      provider: session.provider,
      data: { linkId: session.id, userId: session.userId, provider: session.provider, code },
    });
    return failed ?? session;
  });
}
