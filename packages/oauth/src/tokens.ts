import { Secret } from '@tokenlane/vault';
import { z } from 'zod';
import { ProviderError } from './errors.js';

/** Non-secret extras of a token answer (an athlete id, a user id, …). */
export type TokenMetadata = Readonly<Record<string, string | number | boolean>>;

/** What an OAuth 2.0 token endpoint gave us; every token is a Secret. */
export interface TokenSet {
  readonly accessToken: Secret;
  readonly refreshToken?: Secret;
  readonly tokenType: string;
  /** Absent when the provider sent no `expires_in`: long-lived, never refreshed on a timer. */
  readonly expiresAt?: Date;
  readonly refreshTokenExpiresAt?: Date;
  readonly scopes?: readonly string[];
  readonly providerUserId?: string;
  readonly metadata: TokenMetadata;
}

/** OAuth 1.0a credentials; they never expire. */
export interface OAuth1TokenSet {
  readonly token: Secret;
  readonly tokenSecret: Secret;
  readonly providerUserId?: string;
}

const seconds = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const id = z.union([z.string().min(1), z.number().transform(String)]);

/** RFC 6749 §5.1 access token response; extra members pass through for the hooks. */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().min(1).optional(),
  expires_in: seconds.optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: seconds.optional(),
  scope: z.string().optional(),
  id_token: z.string().optional(),
});

export type TokenResponseBody = z.infer<typeof tokenResponseSchema>;

/** A string or number user id member of a token answer (`user_id`, `x_user_id`, `userid`). */
export function userIdMember(body: Readonly<Record<string, unknown>>, key: string) {
  const parsed = id.safeParse(body[key]);
  return parsed.success ? parsed.data : undefined;
}

/** Splits a `scope` member; servers use spaces (RFC 6749 §3.3) or commas. */
export function splitScopes(scope: string): string[] {
  return scope.split(/[\s,]+/).filter((part) => part !== '');
}

export function expiresAfter(now: Date, secondsFromNow: number | undefined): Date | undefined {
  if (secondsFromNow === undefined || secondsFromNow <= 0) return undefined;
  return new Date(now.getTime() + secondsFromNow * 1000);
}

/**
 * The `sub` of an id_token received straight from the token endpoint over TLS. Its signature
 * is not checked: OpenID Connect Core §3.1.3.7 (6) lets TLS server validation stand in for it
 * on this channel; `aud` must still name our client.
 * @see OpenID Connect Core 1.0 §2, §3.1.3.7
 */
export function idTokenSubject(idToken: string, clientId: string, providerId: string): string {
  const invalid = () =>
    new ProviderError('invalid_response', `${providerId} returned a malformed id_token`, {
      providerId,
    });
  const payload = idToken.split('.')[1];
  if (payload === undefined) throw invalid();
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = z
    .object({ sub: z.string().min(1), aud: z.union([z.string(), z.array(z.string())]) })
    .safeParse(claims);
  if (!parsed.success) throw invalid();
  const audiences = typeof parsed.data.aud === 'string' ? [parsed.data.aud] : parsed.data.aud;
  if (!audiences.includes(clientId)) {
    throw new ProviderError('invalid_response', `${providerId} id_token is for another client`, {
      providerId,
    });
  }
  return parsed.data.sub;
}

/** Wraps a raw token string the moment it leaves a response body. */
export function secret(value: string): Secret {
  return new Secret(value);
}
