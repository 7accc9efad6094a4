import type { EventRecord } from '@tokenlane/db';
import { createHttpAgent, parseRetryAfter } from '@tokenlane/oauth';
import {
  signEventPayload,
  signStandardWebhook,
  type StandardWebhookHeaders,
} from '@tokenlane/vault';
import { request, type Dispatcher } from 'undici';
import { DeliveryError } from './errors.js';

/** One signed POST to the backend's webhook. */
export interface WebhookRequest {
  readonly url: string;
  readonly eventId: string;
  /** The exact bytes that were signed. */
  readonly body: string;
  readonly signature: string;
  /** The same delivery signed the Standard Webhooks way (`webhook-id` is the event id). */
  readonly standard: StandardWebhookHeaders;
}

export interface WebhookResponse {
  readonly status: number;
  readonly retryAfter: string | undefined;
}

/** What a receiver may answer that we read (and throw away): enough for an error page. */
const MAX_RESPONSE_BYTES = 64 * 1024;

const TIMEOUT_ERROR_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

let agent: Dispatcher | undefined;

/**
 * The webhook's own keep-alive Agent: a slow receiver must not hold the sockets (or the
 * timeouts) provider calls rely on. Connect 5 s, headers and body 10 s each.
 */
export function webhookDispatcher(): Dispatcher {
  agent ??= createHttpAgent({
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 10_000,
    bodyTimeoutMs: 10_000,
  });
  return agent;
}

/** The JSON body of an outgoing event (docs/api.md): `{id, type, createdAt, data}`. */
export function eventBody(event: EventRecord): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    data: event.data,
  });
}

/**
 * Builds the signed request: `Tokenlane-Signature` covers `"<t>.<body>"` and the Standard
 * Webhooks signature `"<id>.<t>.<body>"`, both with `t` = `nowMs` in seconds.
 */
export function webhookRequest(
  webhook: { readonly url: string; readonly secret: string },
  event: EventRecord,
  nowMs: number,
): WebhookRequest {
  const body = eventBody(event);
  const timestamp = Math.floor(nowMs / 1000);
  return {
    url: webhook.url,
    eventId: event.id,
    body,
    signature: signEventPayload(webhook.secret, body, timestamp),
    standard: signStandardWebhook(webhook.secret, event.id, timestamp, body),
  };
}

/** Sends the POST and drains the answer; socket failures and timeouts throw a DeliveryError. */
export async function sendWebhookRequest(
  req: WebhookRequest,
  dispatcher: Dispatcher = webhookDispatcher(),
): Promise<WebhookResponse> {
  try {
    const response = await request(req.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'tokenlane',
        'tokenlane-event-id': req.eventId,
        'tokenlane-signature': req.signature,
        ...req.standard,
      },
      body: req.body,
      dispatcher,
    });
    // The answer's status is all that counts: a receiver that stalls on its body is not a failure.
    await response.body.dump({ limit: MAX_RESPONSE_BYTES }).catch(() => undefined);
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.statusCode,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    };
  } catch (error) {
    throw transportError(error, req.url);
  }
}

/** 2xx is delivered; anything else is a retryable DeliveryError honoring `Retry-After`. */
export function processWebhookResponse(response: WebhookResponse, url: string): void {
  if (response.status >= 200 && response.status < 300) return;
  throw new DeliveryError(
    'http_status',
    `webhook ${origin(url)} answered HTTP ${response.status}`,
    { status: response.status, retryAfterMs: parseRetryAfter(response.retryAfter) },
  );
}

function transportError(error: unknown, url: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const code = errorCode(error);
  return code !== undefined && TIMEOUT_ERROR_CODES.has(code)
    ? new DeliveryError('timeout', `webhook ${origin(url)} timed out (${code})`, { cause: error })
    : new DeliveryError('network', `webhook ${origin(url)} failed (${code ?? 'network error'})`, {
        cause: error,
      });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Scheme, host and port only: the path or query of a webhook URL may be a credential. */
function origin(url: string): string {
  return new URL(url).origin;
}
