import type { OAuth2Provider, PostLinkContext } from '../definition.js';
import type { CallOptions } from '../http.js';
import type { TokenSet } from '../tokens.js';

/**
 * Runs the provider's step after a successful exchange (Polar's user registration), which
 * may add the provider's user id; providers without one get their tokens back unchanged.
 */
export async function runPostLink(
  provider: OAuth2Provider,
  tokens: TokenSet,
  context: PostLinkContext,
  options: CallOptions = {},
): Promise<TokenSet> {
  const hook = provider.hooks?.postLink;
  if (hook === undefined) return tokens;
  return hook(provider, tokens, context, { providerId: provider.id, ...options });
}
