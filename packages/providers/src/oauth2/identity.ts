import { errorFromResponse, parseBody } from '../classify.js';
import type { OAuth2Provider, PostLinkContext, ProviderUserInfo } from '../definition.js';
import { ProviderError } from '../errors.js';
import type { CallOptions } from '../http.js';
import { withRetry } from '../retry.js';
import type { TokenSet } from '../tokens.js';
import { sendBearerRequest } from './revoke.js';

/** Metadata of a link whose user look-up failed: the link stands, the id is missing. */
export const IDENTITY_LOOKUP_FAILED = 'failed';

/**
 * A post-link hook that asks the provider who the user is (a bearer GET of `url`) and keeps
 * what `read` finds: the provider user id, and metadata. The look-up is retried in-call; if
 * it still fails, the link is not failed: the tokens come back without a user id and with
 * `metadata.identityLookup = "failed"` (and the error code), which the exchange reports on
 * `connection.created`.
 */
export function bearerIdentity(
  url: (provider: OAuth2Provider) => string,
  read: (body: unknown) => ProviderUserInfo | undefined,
) {
  return async function lookUpIdentity(
    provider: OAuth2Provider,
    tokens: TokenSet,
    _context: PostLinkContext,
    options: CallOptions,
  ): Promise<TokenSet> {
    try {
      const info = await withRetry('idempotent', options, async () => {
        const response = await sendBearerRequest(
          { method: 'GET', url: url(provider), accessToken: tokens.accessToken },
          options,
        );
        if (response.status < 200 || response.status >= 300) {
          throw errorFromResponse(response, {
            providerId: provider.id,
            what: `${provider.id} user look-up`,
          });
        }
        const found = read(parseBody(response));
        if (found === undefined) {
          throw new ProviderError('invalid_response', `${provider.id} user look-up lacks the id`, {
            providerId: provider.id,
          });
        }
        return found;
      });
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
