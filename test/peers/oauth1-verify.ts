import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hmacsign } from 'oauth-sign';

/** `Authorization: OAuth k="v", …` → decoded protocol parameters (RFC 5849 §3.5.1). */
export function oauthHeader(req: IncomingMessage): Record<string, string> | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('OAuth ') !== true) return undefined;
  const params: Record<string, string> = {};
  for (const part of header.slice(6).split(/,\s*/)) {
    const match = /^([^=]+)="([^"]*)"$/.exec(part.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) {
      params[decodeURIComponent(match[1])] = decodeURIComponent(match[2]);
    }
  }
  return params;
}

export type VerifyResult =
  { readonly problem: string } | { readonly params: Readonly<Record<string, string>> };

/**
 * An RFC 5849 §3.2 verifier of signed requests, independent of the client under test: the
 * signature is recomputed with `oauth-sign` (not `oauth-1.0a`), and timestamp and nonce are
 * checked. `tokenSecretOf` answers the secret of a token the server knows. With
 * `rejectOtherVersions`, an `oauth_version` other than `1.0` is refused (`version_rejected`).
 */
export function oauth1Verifier(options: {
  readonly consumers: Readonly<Record<string, string>>;
  readonly maxSkewSeconds?: number | undefined;
  readonly rejectOtherVersions?: boolean;
}) {
  const maxSkew = options.maxSkewSeconds ?? 300;
  const nonces = new Set<string>();
  return (
    req: IncomingMessage,
    body: string,
    tokenSecretOf: (token: string) => string | undefined,
  ): VerifyResult => {
    const oauth = oauthHeader(req);
    if (oauth === undefined) return { problem: 'parameter_absent' };
    // Everything in the header but the signature and realm is signed (RFC 5849 §3.4.1.3.1).
    const signed = Object.fromEntries(
      Object.entries(oauth).filter(([key]) => key !== 'oauth_signature' && key !== 'realm'),
    );
    const consumerSecret = options.consumers[signed.oauth_consumer_key ?? ''];
    if (consumerSecret === undefined) return { problem: 'consumer_key_unknown' };
    if (signed.oauth_signature_method !== 'HMAC-SHA1')
      return { problem: 'signature_method_rejected' };
    if (
      options.rejectOtherVersions === true &&
      signed.oauth_version !== undefined &&
      signed.oauth_version !== '1.0'
    )
      return { problem: 'version_rejected' };
    const timestamp = Number(signed.oauth_timestamp);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > maxSkew) {
      return { problem: 'timestamp_refused' };
    }
    const nonceKey = `${signed.oauth_consumer_key}:${timestamp}:${signed.oauth_nonce ?? ''}`;
    if (signed.oauth_nonce === undefined || nonces.has(nonceKey)) return { problem: 'nonce_used' };
    const tokenSecret = signed.oauth_token === undefined ? '' : tokenSecretOf(signed.oauth_token);
    if (tokenSecret === undefined) return { problem: 'token_rejected' };
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const form = req.headers['content-type']?.includes('x-www-form-urlencoded') ? body : '';
    const params: Record<string, string> = {
      ...Object.fromEntries(url.searchParams),
      ...Object.fromEntries(new URLSearchParams(form)),
      ...signed,
    };
    const expected = hmacsign(
      req.method ?? 'GET',
      `${url.origin}${url.pathname}`,
      params,
      consumerSecret,
      tokenSecret,
    );
    const given = Buffer.from(oauth.oauth_signature ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      return { problem: 'signature_invalid' };
    }
    nonces.add(nonceKey);
    return { params: signed };
  };
}
