import type { LinkFailureCode } from '@tokenlane/core';
import { html, type SafeHtml } from '../console/html.js';
import { endUserPage, type PageContext } from './page.js';
import type { Names, Outcome } from './words/index.js';

/**
 * How a link ended, or why it could not be used: what happened and what to do next. No
 * code, id or detail of the failure is shown; the app's events carry those.
 */
export function outcomePage(context: PageContext, names: Names, outcome: Outcome): SafeHtml {
  const words = context.words.outcomes[outcome];
  const title = words.title(names);
  return endUserPage(
    context,
    names,
    title,
    html`<h1>${title}</h1>
      <p>${words.what(names)}</p>
      <p>${words.next(names)}</p>`,
  );
}

/** Failures the provider reported or caused: trying again later is the way out. */
const PROVIDER_SIDE: ReadonlySet<LinkFailureCode> = new Set<LinkFailureCode>([
  'invalid_request',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'authorization_failed',
  'provider_unavailable',
  'rate_limited',
  'timeout',
  'network',
  'invalid_response',
]);

/** The page for a failed link's code; everything not named here reads "did not work". */
export function outcomeOfFailure(code: LinkFailureCode | 'invalid_pin'): Outcome {
  if (code === 'access_denied') return 'denied';
  if (code === 'account_mismatch') return 'account_mismatch';
  if (code !== 'invalid_pin' && PROVIDER_SIDE.has(code)) return 'provider_error';
  return 'failed';
}
