import type { CallOptions } from '@tokenlane/oauth';
import type { OAuth2Provider, PostLinkContext } from '../definition.js';
import type { TokenSet } from '../token-set.js';
import { withDeclaredIdentity } from './identity.js';

/**
 * Runs the provider's steps after a successful exchange: its post-link hook (Polar's user
 * registration), then its declared identity look-up, which alone names the user for providers
 * that declare one (a failure leaves the identity pending, see `withDeclaredIdentity`).
 * Providers with neither get their tokens back unchanged.
 */
export async function runPostLink(
  provider: OAuth2Provider,
  tokens: TokenSet,
  context: PostLinkContext,
  options: CallOptions = {},
): Promise<TokenSet> {
  const call = { providerId: provider.id, ...options };
  const hook = provider.hooks?.postLink;
  const linked = hook === undefined ? tokens : await hook(provider, tokens, context, call);
  return withDeclaredIdentity(provider, linked, call);
}
