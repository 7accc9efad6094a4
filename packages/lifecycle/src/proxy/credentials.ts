import { signRequest, type Provider } from '@tokenlane/providers';
import type { UsableToken } from '../tokens/token-access.js';
import type { ProxyBody } from './body.js';

/** `application/x-www-form-urlencoded`, whose members an OAuth 1.0a signature covers. */
function isForm(contentType: string | undefined): boolean {
  return (
    (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ===
    'application/x-www-form-urlencoded'
  );
}

/**
 * The `Authorization` header the provider gets for one proxied call. OAuth 2.0: the stored
 * token type and the access token (RFC 6750 §2.1). OAuth 1.0a: an HMAC-SHA1 signature over
 * the method, the URL with its query, and a form body's members (RFC 5849 §3.4.1).
 */
export function authorizationFor(
  provider: Provider,
  token: UsableToken,
  request: {
    readonly method: string;
    readonly url: URL;
    readonly contentType?: string | undefined;
  },
  body: ProxyBody,
): string {
  if (token.kind === 'oauth2') {
    // RFC 6750's scheme is case-insensitive, but some servers only accept `Bearer`.
    const type = /^bearer$/i.test(token.tokenType) ? 'Bearer' : token.tokenType;
    return `${type} ${token.accessToken.reveal()}`;
  }
  if (provider.kind !== 'oauth1') throw new Error('an OAuth 1.0a token for an OAuth 2.0 provider');
  const form =
    body.kind === 'buffered' && isForm(request.contentType)
      ? Object.fromEntries(new URLSearchParams(body.bytes.toString('utf8')))
      : undefined;
  return signRequest(provider, {
    method: request.method,
    url: request.url.href,
    token: token.token,
    tokenSecret: token.tokenSecret,
    ...(form === undefined ? {} : { form }),
  });
}

/** A form body a signature must cover, too large to have been read whole. */
export function unsignableForm(contentType: string | undefined, body: ProxyBody): boolean {
  return body.kind === 'stream' && isForm(contentType);
}
