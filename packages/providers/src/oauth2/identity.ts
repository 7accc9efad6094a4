import {
  type CallOptions,
  type HttpResponse,
  ProviderError,
  errorFromResponse,
  parseBody,
  sendBearerRequest,
  withRetry,
} from '@tokenlane/oauth';
import type { Secret } from '@tokenlane/vault';
import type { TokenSet } from '../token-set.js';
import type {
  IdentityLookup,
  OAuth2Provider,
  PostLinkContext,
  ProviderUserInfo,
} from '../definition.js';

/** Metadata of a link whose user look-up failed: the link stands, the id is missing. */
export const IDENTITY_LOOKUP_FAILED = 'failed';

/** A found identity: the provider user id, and metadata to keep beside it. */
export interface FoundIdentity {
  readonly providerUserId: string;
  readonly metadata: NonNullable<ProviderUserInfo['metadata']>;
}

/** Sends the identity look-up: a bearer GET with the user's access token. */
export function sendIdentityRequest(
  provider: OAuth2Provider,
  lookup: IdentityLookup,
  accessToken: Secret,
  options: CallOptions = {},
): Promise<HttpResponse> {
  return sendBearerRequest({ method: 'GET', url: lookup.url(provider), accessToken }, options);
}

/**
 * Interprets the identity look-up's answer: a non-2xx is the provider's error (classified as
 * any other answer), and an answer without the user id is `invalid_response`.
 */
export function processIdentityResponse(
  provider: OAuth2Provider,
  lookup: IdentityLookup,
  response: HttpResponse,
): ProviderUserInfo {
  if (response.status < 200 || response.status >= 300) {
    throw errorFromResponse(response, {
      providerId: provider.id,
      what: `${provider.id} user look-up`,
    });
  }
  const found = lookup.read(parseBody(response));
  if (found === undefined) {
    throw new ProviderError('invalid_response', `${provider.id} user look-up lacks the id`, {
      providerId: provider.id,
    });
  }
  return found;
}

/**
 * Asks the provider who the user holding `accessToken` is, through the look-up the provider
 * declares (`identity`); retried in-call on transient failures (it changes nothing at the
 * provider). Throws a ProviderError when it cannot tell, or `unsupported` for a provider that
 * declares no look-up.
 */
export async function lookUpIdentity(
  provider: OAuth2Provider,
  accessToken: Secret,
  options: CallOptions = {},
): Promise<FoundIdentity> {
  const lookup = provider.identity;
  if (lookup === undefined) {
    throw new ProviderError('unsupported', `${provider.id} declares no identity look-up`, {
      providerId: provider.id,
    });
  }
  const call = { providerId: provider.id, ...options };
  const info = await withRetry('idempotent', call, async () =>
    processIdentityResponse(
      provider,
      lookup,
      await sendIdentityRequest(provider, lookup, accessToken, call),
    ),
  );
  return identityOf(provider, info);
}

/** A look-up whose `read` found metadata but no id is a provider answer we cannot use. */
function identityOf(provider: OAuth2Provider, info: ProviderUserInfo): FoundIdentity {
  if (info.providerUserId === undefined) {
    throw new ProviderError('invalid_response', `${provider.id} user look-up lacks the id`, {
      providerId: provider.id,
    });
  }
  return { providerUserId: info.providerUserId, metadata: info.metadata ?? {} };
}

/**
 * Runs the provider's declared identity look-up right after a link. Its answer is the user id
 * (whatever the token answer said: a provider that declares a look-up names its users only
 * through it). When it fails, the link is not failed: the tokens come back without a user id,
 * with `identityPending` (the error code) and `metadata.identityLookup = "failed"`, and the
 * look-up is asked again later.
 */
export async function withDeclaredIdentity(
  provider: OAuth2Provider,
  tokens: TokenSet,
  options: CallOptions = {},
): Promise<TokenSet> {
  if (provider.identity === undefined) return tokens;
  const rest = withoutUserId(tokens);
  try {
    const found = await lookUpIdentity(provider, tokens.accessToken, options);
    return {
      ...rest,
      providerUserId: found.providerUserId,
      metadata: { ...tokens.metadata, ...found.metadata },
    };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return {
      ...rest,
      identityPending: error.code,
      metadata: {
        ...tokens.metadata,
        identityLookup: IDENTITY_LOOKUP_FAILED,
        identityLookupError: error.code,
      },
    };
  }
}

/** The tokens without a user id the token answer may have carried. */
function withoutUserId(tokens: TokenSet): TokenSet {
  const copy: { -readonly [K in keyof TokenSet]: TokenSet[K] } = { ...tokens };
  delete copy.providerUserId;
  return copy;
}

/**
 * A post-link hook that asks the provider who the user is (a bearer GET of `url`) and keeps
 * what `read` finds. If the look-up still fails after its in-call retries, the link is not
 * failed: the tokens come back without a user id and with `metadata.identityLookup = "failed"`
 * (and the error code), which the exchange reports on `connection.created`. Nothing asks
 * again: providers whose user id matters declare `identity` on their definition instead,
 * whose failed look-ups are retried until they answer.
 */
export function bearerIdentity(
  url: (provider: OAuth2Provider) => string,
  read: (body: unknown) => ProviderUserInfo | undefined,
) {
  return async function lookUpAfterLink(
    provider: OAuth2Provider,
    tokens: TokenSet,
    _context: PostLinkContext,
    options: CallOptions,
  ): Promise<TokenSet> {
    const lookup = { url, read };
    try {
      const info = await withRetry('idempotent', options, async () =>
        processIdentityResponse(
          provider,
          lookup,
          await sendIdentityRequest(provider, lookup, tokens.accessToken, options),
        ),
      );
      return {
        ...tokens,
        ...(info.providerUserId === undefined ? {} : { providerUserId: info.providerUserId }),
        metadata: { ...tokens.metadata, ...info.metadata },
      };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      return {
        ...tokens,
        metadata: {
          ...tokens.metadata,
          identityLookup: IDENTITY_LOOKUP_FAILED,
          identityLookupError: error.code,
        },
      };
    }
  };
}
