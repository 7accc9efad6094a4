import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { applyRevocationNotice, type NoticeResult } from '@tokenlane/lifecycle';
import {
  answerNotificationChallenge,
  NotificationError,
  notificationAckStatus,
  notificationFormatOf,
  verifyNotification,
  type NotificationInput,
  type NotificationOutcome,
  type Provider,
} from '@tokenlane/providers';
import type { Runtime } from '@tokenlane/runtime';
import { z } from 'zod';
import { errorResponses, HttpError } from '../errors.js';
import { limitIntakeFailures } from '../intake-limit.js';

/** Notifications are signed over their exact bytes, so bodies stay raw; batches can be big. */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

const providerParams = z.object({ provider: z.string().max(64) });
/**
 * The secret path segment: a wildcard, so a secret holding `/` still reaches its route; the
 * providers file keeps it 32-512 characters.
 */
const secretParams = providerParams.extend({ '*': z.string().max(512) });
const query = z.record(z.string(), z.string().max(4096));
const received = z.object({ received: z.literal(true) });
const noContent = z.null().describe('No content');

/** A configured provider with a notification intake, or 404. */
function intakeProvider(rt: Runtime, id: string): Provider {
  const provider = rt.providers.get(id);
  if (provider?.configured !== true) {
    throw new HttpError(404, 'unknown_provider', 'Unknown provider');
  }
  if (notificationFormatOf(provider) === undefined) {
    throw new HttpError(404, 'not_found', 'This provider has no notification intake configured');
  }
  return provider;
}

/**
 * The providers whose connections a verified notice may name: the intake's own, and its
 * successor or predecessor when both speak the same notification format. A migration moves
 * connections between them (Garmin OAuth 1.0a → 2.0) while the provider keeps pushing to one
 * URL, and the user ids stay the same.
 */
function noticeProviders(rt: Runtime, provider: Provider): string[] {
  const format = notificationFormatOf(provider);
  const related = rt.providers
    .list()
    .filter(
      (other) =>
        other.id !== provider.id &&
        (other.successor === provider.id || provider.successor === other.id) &&
        other.configured &&
        notificationFormatOf(other) === format,
    );
  return [provider.id, ...related.map((other) => other.id)];
}

/** verifyNotification, its refusals as 401 (signature) and 400 (payload). */
function verified(provider: Provider, input: NotificationInput): NotificationOutcome {
  try {
    return verifyNotification(provider, input);
  } catch (error) {
    if (!(error instanceof NotificationError)) throw error;
    const message = `Notification refused: ${error.message}`;
    throw error.code === 'invalid_signature'
      ? new HttpError(401, 'invalid_signature', message)
      : new HttpError(400, 'invalid_request', message);
  }
}

/**
 * Says why a notice left a connection alone: one info line per connection linked after the
 * notice (a replay, or a notice about an earlier link). Ids, codes and times only.
 */
function logIgnored(log: FastifyBaseLogger, provider: string, result: NoticeResult) {
  for (const decision of result.decisions) {
    if (decision.reason !== 'linked_after_notice') continue;
    log.info(
      {
        provider,
        connectionId: decision.connectionId,
        reason: decision.reason,
        noticeIssuedAt: decision.issuedAt?.toISOString(),
        noticeAppliesBefore: decision.appliesBefore.toISOString(),
        seenCount: decision.seenCount,
      },
      "provider notice older than the connection's link: ignored",
    );
  }
}

/**
 * Provider notifications (docs/api.md): `POST /webhooks/:provider` verifies a notice over its
 * raw bytes (signature, or the secret path segment `/webhooks/:provider/:secret` for unsigned
 * pushes) and enqueues revocations of the connections linked before it (applyRevocationNotice:
 * a replay, or a notice about an earlier link, is acknowledged and changes nothing); `GET`
 * answers subscription handshakes. No API key: the providers call these. Answers fast (one
 * insert, one select, enqueue): Fitbit allows 5 s. Bodies are never logged.
 */
export const webhookRoutes: FastifyPluginCallbackZod<{ runtime: Runtime }> = (
  app,
  { runtime },
  done,
) => {
  // This plugin's own scope: JSON stays a Buffer here, the rest of the app parses it. Withings
  // posts forms, which stay raw bytes too.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT_BYTES },
    (_request, body, parsed) => {
      parsed(null, body);
    },
  );

  limitIntakeFailures(app, runtime);

  // Log lines show these paths redacted (logging.ts `serializeRequest`).
  for (const withSecret of [false, true]) {
    const url = withSecret ? '/webhooks/:provider/*' : '/webhooks/:provider';
    const params = withSecret ? secretParams : providerParams;
    const pathSecret = (request: FastifyRequest) => {
      const { '*': secret } = request.params as { '*'?: string };
      return secret === undefined ? {} : { pathSecret: secret };
    };

    app.post(
      url,
      {
        bodyLimit: WEBHOOK_BODY_LIMIT_BYTES,
        schema: {
          summary: 'Receive a provider notification (revocation, deregistration)',
          tags: ['webhooks'],
          params,
          querystring: query,
          response: {
            200: received,
            204: noContent,
            ...errorResponses(401, 404, 413, 415, 429),
          },
        },
      },
      async (request, reply) => {
        const provider = intakeProvider(runtime, request.params.provider);
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const outcome = verified(provider, {
          headers: request.headers,
          rawBody,
          query: request.query,
          ...pathSecret(request),
        });
        let enqueued = 0;
        let ignored = 0;
        if (outcome.kind === 'revoked') {
          for (const target of noticeProviders(runtime, provider)) {
            const result = await applyRevocationNotice(runtime, {
              provider: target,
              rawBody,
              revocations: outcome.revocations,
            });
            logIgnored(request.log, target, result);
            enqueued += result.enqueued;
            ignored += result.decisions.filter((d) => d.reason === 'linked_after_notice').length;
          }
        }
        const issuedAt = outcome.kind === 'ignored' ? outcome.issuedAt?.toISOString() : undefined;
        request.log.info(
          { provider: provider.id, outcome: outcome.kind, issuedAt, enqueued, ignored },
          'provider notification accepted',
        );
        if (notificationAckStatus(provider) === 204) return reply.code(204).send(null);
        return reply.code(200).send({ received: true as const });
      },
    );

    app.get(
      url,
      {
        schema: {
          summary:
            "Answer a provider's subscription handshake (Fitbit, Strava, Oura; Withings' HEAD check)",
          tags: ['webhooks'],
          params,
          querystring: query,
          response: {
            200: z.record(z.string(), z.string()),
            204: noContent,
            ...errorResponses(404),
          },
        },
      },
      async (request, reply) => {
        const provider = intakeProvider(runtime, request.params.provider);
        const answer = answerNotificationChallenge(provider, {
          query: request.query,
          ...pathSecret(request),
        });
        if (answer === undefined) throw new HttpError(404, 'not_found', 'Not found');
        if (answer.status === 204) return reply.code(204).send(null);
        return reply.code(200).send(answer.body);
      },
    );
  }
  done();
};
