import type { ConnectionId, LinkFailureCode } from '@tokenlane/core';

/** What an `exchange` job returns (ids and codes only: it is stored in Redis). */
export type ExchangeOutcome =
  | { readonly status: 'completed'; readonly connectionId: ConnectionId }
  | { readonly status: 'failed'; readonly code: LinkFailureCode }
  /** PIN flow: the provider refused the PIN; the link stays usable until it expires. */
  | { readonly status: 'pin_rejected' };
