/**
 * Every page a user's browser sees after the `/connect` page: how a link ended when there is
 * no `returnUrl` to send them back to, and why a link they brought could not be used (the
 * last four are core's `LINK_REFUSALS`, passed to the page as they are).
 */
export const OUTCOMES = [
  'connected',
  'pending',
  'denied',
  'failed',
  'provider_error',
  'account_mismatch',
  'link_expired',
  'link_used',
  'other_browser',
  'unknown_link',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Who a page speaks for and about; `provider` is the provider's display name. */
export interface Names {
  readonly app: string;
  readonly provider: string;
}

/** One outcome in words: what happened, and what the user can do next. */
export interface OutcomeWords {
  readonly title: (names: Names) => string;
  readonly what: (names: Names) => string;
  readonly next: (names: Names) => string;
}

/**
 * Every word an end user's browser sees, in one language. Values are plain text: the page
 * templates escape them. Each sentence says what happened and what to do, never a code.
 */
export interface Words {
  readonly connectTitle: (names: Names) => string;
  readonly connectLead: (names: Names) => string;
  readonly connectButton: (names: Names) => string;
  readonly connectNote: (names: Names) => string;
  readonly outcomes: Readonly<Record<Outcome, OutcomeWords>>;
  /** The support link's text. */
  readonly help: (names: Names) => string;
  /** The logo's alternative text. */
  readonly logoAlt: (names: Names) => string;
}
