import { createHmac, randomBytes } from 'node:crypto';
import type { Secret } from '@tokenlane/vault';
import OAuth from 'oauth-1.0a';
import { errorFromResponse } from '../classify.js';
import { ProviderError } from '../errors.js';
import { send, type CallOptions, type HttpResponse } from '../http.js';
import { withRetry } from '../retry.js';
import { secret, type OAuth1TokenSet } from '../tokens.js';

/**
 * Our registration at one OAuth 1.0a server: its endpoints, our consumer credentials, and where
 * its answers name the user. `id` only names it in error messages and `ProviderError`.
 */
export interface OAuth1Client {
  readonly id: string;
  readonly requestTokenUrl: string;
  readonly authorizationUrl: string;
  readonly accessTokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  /** Where the server sends the user back (`oauth_callback`). */
  readonly redirectUri: string;
  /** Out-of-band: `oauth_callback=oob`, and the user types the verifier. */
  readonly pin?: boolean;
  readonly hooks?: {
    readonly extractProviderUserId?: (body: Readonly<Record<string, string>>) => {
      readonly providerUserId?: string;
    };
  };
}

export interface SignRequestInput {
  readonly method: string;
  readonly url: string;
  readonly token?: Secret;
  readonly tokenSecret?: Secret;
  /** Form body members, which the signature covers (RFC 5849 §3.4.1.3.1). */
  readonly form?: Readonly<Record<string, string>>;
  /** Protocol parameters sent in the header: `oauth_callback`, `oauth_verifier`. */
  readonly oauthParams?: Readonly<Record<string, string>>;
}

/**
 * The `Authorization: OAuth …` header value for a request, signed with HMAC-SHA1.
 * @see RFC 5849 §3.1, §3.4.2, §3.5.1
 */
export function signRequest(provider: OAuth1Client, input: SignRequestInput): string {
  const oauth = new OAuth({
    consumer: { key: provider.clientId, secret: provider.clientSecret.reveal() },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const oauthParams = input.oauthParams ?? {};
  // Our own nonce from the CSPRNG (oauth-1.0a's uses Math.random). RFC 5849 §3.3
  const protocol: OAuth.Data = {
    oauth_consumer_key: provider.clientId,
    oauth_nonce: randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: Math.floor(Date.now() / 1000),
    oauth_version: '1.0',
    ...(input.token === undefined ? {} : { oauth_token: input.token.reveal() }),
  };
  const signature = oauth.getSignature(
    {
      url: baseStringUrl(input.url),
      method: input.method,
      data: { ...input.form, ...oauthParams },
    },
    input.tokenSecret?.reveal(),
    { ...protocol }, // getSignature merges the request data into the object it is given
  );
  return oauth.toHeader({ ...protocol, ...oauthParams, oauth_signature: signature }).Authorization;
}

/** Lower-case scheme and host, no default port (RFC 5849 §3.4.1.2); the query is kept. */
function baseStringUrl(url: string): string {
  return new URL(url).href;
}

/** Sends a request signed for the provider (token endpoints and API calls alike). */
export function sendSignedRequest(
  provider: OAuth1Client,
  input: SignRequestInput & { readonly method: 'GET' | 'POST' | 'DELETE' },
  options: CallOptions = {},
) {
  const authorization = signRequest(provider, input);
  const form = input.form === undefined ? undefined : new URLSearchParams(input.form).toString();
  return send(
    {
      method: input.method,
      url: baseStringUrl(input.url),
      headers: {
        authorization,
        ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form === undefined ? {} : { body: form }),
    },
    options,
  );
}

/** An OAuth 1.0a credentials answer (`oauth_token`, `oauth_token_secret`, extras). */
export function processCredentialsResponse(
  provider: OAuth1Client,
  response: HttpResponse,
  what: string,
): { token: Secret; tokenSecret: Secret; body: Record<string, string> } {
  if (response.status < 200 || response.status >= 300) {
    throw errorFromResponse(response, { providerId: provider.id, what: `${provider.id} ${what}` });
  }
  const body = Object.fromEntries(new URLSearchParams(response.text.trim()));
  const { oauth_token: token, oauth_token_secret: tokenSecret, ...rest } = body;
  if (token === undefined || token === '' || tokenSecret === undefined) {
    throw new ProviderError(
      'invalid_response',
      `${provider.id} ${what} answered without credentials`,
      {
        providerId: provider.id,
        status: response.status,
      },
    );
  }
  return { token: secret(token), tokenSecret: secret(tokenSecret), body: rest };
}

export interface RequestToken {
  readonly requestToken: Secret;
  readonly requestTokenSecret: Secret;
  readonly callbackConfirmed: boolean;
}

/**
 * Obtains temporary credentials, sending `oauth_callback` (`oob` for PIN providers).
 * @see RFC 5849 §2.1
 */
export async function getRequestToken(
  provider: OAuth1Client,
  input: { readonly callbackUrl?: string } = {},
  options: CallOptions = {},
): Promise<RequestToken> {
  const callback = provider.pin === true ? 'oob' : (input.callbackUrl ?? provider.redirectUri);
  const call: CallOptions = { providerId: provider.id, ...options };
  return withRetry('idempotent', call, async () => {
    const response = await sendSignedRequest(
      provider,
      { method: 'POST', url: provider.requestTokenUrl, oauthParams: { oauth_callback: callback } },
      call,
    );
    const { token, tokenSecret, body } = processCredentialsResponse(
      provider,
      response,
      'request token',
    );
    return {
      requestToken: token,
      requestTokenSecret: tokenSecret,
      callbackConfirmed: body.oauth_callback_confirmed === 'true',
    };
  });
}

/**
 * Where to send the user to authorize the request token.
 * @see RFC 5849 §2.2
 */
export function oauth1AuthorizationUrl(provider: OAuth1Client, requestToken: Secret): string {
  const url = new URL(provider.authorizationUrl);
  url.searchParams.set('oauth_token', requestToken.reveal());
  return url.href;
}

export interface AccessTokenInput {
  readonly requestToken: Secret;
  readonly requestTokenSecret: Secret;
  readonly verifier: Secret;
}

/**
 * Trades the authorized request token and its verifier for token credentials, which never
 * expire. The verifier is single use: only failures before sending are retried.
 * @see RFC 5849 §2.3
 */
export async function getAccessToken(
  provider: OAuth1Client,
  input: AccessTokenInput,
  options: CallOptions = {},
): Promise<OAuth1TokenSet> {
  const call: CallOptions = { providerId: provider.id, ...options };
  return withRetry('single-use', call, async () => {
    const response = await sendSignedRequest(
      provider,
      {
        method: 'POST',
        url: provider.accessTokenUrl,
        token: input.requestToken,
        tokenSecret: input.requestTokenSecret,
        oauthParams: { oauth_verifier: input.verifier.reveal() },
      },
      call,
    );
    const { token, tokenSecret, body } = processCredentialsResponse(
      provider,
      response,
      'access token',
    );
    const user = provider.hooks?.extractProviderUserId?.(body) ?? {};
    return {
      token,
      tokenSecret,
      ...(user.providerUserId === undefined ? {} : { providerUserId: user.providerUserId }),
    };
  });
}
