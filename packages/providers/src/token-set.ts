import type { ProviderErrorCode, TokenSet as ProtocolTokenSet } from '@tokenlane/oauth';

/** What a link or refresh gave us: the token answer, and what the provider's look-up added. */
export interface TokenSet extends ProtocolTokenSet {
  /**
   * The provider's declared identity look-up failed with this code: the user id is not known
   * yet, and must be asked again (`OAuth2Definition.identity`).
   */
  readonly identityPending?: ProviderErrorCode;
}
