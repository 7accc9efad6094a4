import { timingSafeEqualString, type Secret } from '@tokenlane/vault';
import type { z } from 'zod';
import type { Provider } from '../definition.js';
import { NotificationError } from './errors.js';

/** One request to `/webhooks/:provider`, as the intake received it. */
export interface NotificationInput {
  /** Lower-case header names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The exact bytes the provider signed: verify before anything re-serializes them. */
  readonly rawBody: Buffer;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The secret path segment of `/webhooks/:provider/:secret` (unsigned pushes). */
  readonly pathSecret?: string;
  /** For tests; defaults to the current time. */
  readonly now?: Date;
}

/**
 * One provider account a verified notice says is gone, and when the provider issued that
 * notice, if its format says so. A notice names an account, not a link: the time is what lets
 * the intake tell a notice about an earlier link of the account from one about the current one.
 */
export interface Revocation {
  readonly providerUserId: string;
  /** When the provider issued the notice (signed header or documented body field). */
  readonly issuedAt?: Date;
}

/**
 * What a verified notification says: these provider accounts revoked access, or nothing for
 * us. An ignored notice still carries its issue time when the format has one (for logs).
 */
export type NotificationOutcome =
  | { readonly kind: 'revoked'; readonly revocations: readonly Revocation[] }
  | { readonly kind: 'ignored'; readonly issuedAt?: Date };

/** A subscription handshake (`GET /webhooks/:provider`) and how to answer it. */
export interface ChallengeInput {
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly pathSecret?: string;
}

/** 204 (Fitbit) or 200 with a JSON echo (Strava, Oura). A refused challenge is `undefined`. */
export type ChallengeAnswer =
  | { readonly status: 204 }
  | { readonly status: 200; readonly body: Readonly<Record<string, string>> };

/** One provider's notification format: its verifier, its handshake, how it wants the ack. */
export interface NotificationVerifier {
  /** Whether the provider's configuration lets us verify anything (a secret may be missing). */
  readonly ready: (provider: Provider) => boolean;
  /** Verifies and reads one notification; throws a NotificationError. */
  readonly verify: (provider: Provider, input: NotificationInput) => NotificationOutcome;
  readonly challenge?: (provider: Provider, input: ChallengeInput) => ChallengeAnswer | undefined;
  /** The status a delivered notification is acknowledged with. */
  readonly ackStatus: 200 | 204;
}

/** Signed timestamps older (or further ahead) than this are replays or broken clocks. */
export const NOTIFICATION_TOLERANCE_MS = 5 * 60_000;

export const IGNORED: NotificationOutcome = { kind: 'ignored' };

/** An ignored notice, with its issue time when the format carries one. */
export function ignoredAt(issuedAt: Date | undefined): NotificationOutcome {
  return issuedAt === undefined ? IGNORED : { kind: 'ignored', issuedAt };
}

/**
 * The revocations of one notice, one per account (an account named twice keeps its latest
 * time), or `ignored` when it names nobody. An id with a NUL names nobody: Postgres text
 * cannot hold one, so no connection has it (and a query with it would fail).
 */
export function revoked(entries: readonly Revocation[]): NotificationOutcome {
  const byAccount = new Map<string, Revocation>();
  for (const entry of entries) {
    if (entry.providerUserId === '' || entry.providerUserId.includes('\u0000')) continue;
    const seen = byAccount.get(entry.providerUserId);
    if (
      seen === undefined ||
      (seen.issuedAt?.getTime() ?? -1) < (entry.issuedAt?.getTime() ?? -1)
    ) {
      byAccount.set(entry.providerUserId, entry);
    }
  }
  return byAccount.size === 0 ? IGNORED : { kind: 'revoked', revocations: [...byAccount.values()] };
}

/** Revocations of `ids`, all issued at the notice's one time (if any). */
export function revokedUsers(ids: readonly string[], issuedAt?: Date): NotificationOutcome {
  return revoked(
    ids.map((id) =>
      issuedAt === undefined ? { providerUserId: id } : { providerUserId: id, issuedAt },
    ),
  );
}

/** A header's single value; a repeated header is as good as a missing one. */
export function header(input: NotificationInput, name: string): string | undefined {
  const value = input.headers[name.toLowerCase()];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function requireHeader(input: NotificationInput, name: string): string {
  const value = header(input, name);
  if (value === undefined) throw new NotificationError('invalid_signature', `missing ${name}`);
  return value;
}

/** The body as JSON checked against `schema`; anything else is `invalid_payload`. */
export function parseBody<S extends z.ZodType>(input: NotificationInput, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(input.rawBody.toString('utf8'));
  } catch {
    // No parser message: V8 quotes the text around the error, which is the body.
    throw new NotificationError('invalid_payload', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
    throw new NotificationError(
      'invalid_payload',
      `the body does not have the expected shape${path === '' ? '' : ` (at ${path})`}`,
    );
  }
  return parsed.data;
}

/** Unix seconds, unix milliseconds or an ISO date, as epoch ms. */
export function parseTimestamp(value: string): number | undefined {
  if (/^\d{1,16}$/.test(value)) {
    const number = Number(value);
    return number >= 1e12 ? number : number * 1000;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** A parsed time as a Date, or undefined when there is none. */
export function timeOf(value: string | undefined): Date | undefined {
  const at = value === undefined ? undefined : parseTimestamp(value);
  return at === undefined ? undefined : new Date(at);
}

/**
 * Unix seconds in a JSON body field (Strava's `event_time`, Garmin's `changeTimeInSeconds`),
 * or undefined for anything else: an unreadable time is no time, not a refused notice.
 */
export function epochSeconds(value: unknown): Date | undefined {
  const seconds = typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds <= 0) {
    return undefined;
  }
  return new Date(seconds * 1000);
}

/**
 * Refuses a signed timestamp outside the tolerance (a replayed notification) and returns it:
 * the time the provider issued the notice.
 */
export function assertFresh(input: NotificationInput, timestamp: string, name: string): Date {
  const at = parseTimestamp(timestamp);
  if (at === undefined) throw new NotificationError('invalid_signature', `${name} is not a time`);
  const now = (input.now ?? new Date()).getTime();
  if (Math.abs(now - at) > NOTIFICATION_TOLERANCE_MS) {
    throw new NotificationError('invalid_signature', `${name} is outside the replay window`);
  }
  return new Date(at);
}

/** `timestamp` followed by the body: what Whoop and Oura sign. */
export function prefixed(prefix: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(prefix, 'utf8'), body]);
}

/** Constant-time comparison of a presented shared secret (path segment, verify code). */
export function matchesSecret(given: string | undefined, expected: Secret | undefined): boolean {
  if (given === undefined || expected === undefined) return false;
  return timingSafeEqualString(given, expected.reveal());
}

/**
 * The shared secret of an unsigned push (Garmin, Strava): the secret path segment only. Without
 * it a forged notice could revoke anyone's connection. A query string is not accepted: it ends
 * up in proxy and access logs.
 */
export function assertPathSecret(provider: Provider, input: NotificationInput): void {
  const given = input.pathSecret;
  if (!matchesSecret(given, provider.webhookSecret)) {
    throw new NotificationError('invalid_signature', 'missing or wrong secret in the intake URL');
  }
}
