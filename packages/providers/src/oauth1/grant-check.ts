import {
  type CallOptions,
  type ProviderError,
  errorFromResponse,
  sendSignedRequest,
  withRetry,
} from '@tokenlane/oauth';
import type { Secret } from '@tokenlane/vault';
import type { OAuth1Provider } from '../definition.js';

/**
 * Whose fault an OAuth 1.0a refusal is. A provider answers 401 alike for a wrong consumer key or
 * secret, a bad signature, a clock outside its window and a dead token (RFC 5849 §3.2), so a 401
 * alone never proves the user's grant is gone.
 * - `credentials`: our consumer key, secret or signature;
 * - `clock`: our timestamp (or nonce) was refused;
 * - `unclear`: the answer does not say (a bare 401, or one naming the token): check the grant.
 */
export type OAuth1RefusalCause = 'credentials' | 'clock' | 'unclear';

/** `oauth_problem` values (the OAuth problem-reporting extension) that name our side. */
const OUR_PROBLEMS: Readonly<Record<string, Exclude<OAuth1RefusalCause, 'unclear'>>> = {
  consumer_key_unknown: 'credentials',
  consumer_key_rejected: 'credentials',
  consumer_key_refused: 'credentials',
  signature_invalid: 'credentials',
  signature_method_rejected: 'credentials',
  invalid_client: 'credentials',
  unauthorized_client: 'credentials',
  timestamp_refused: 'clock',
  nonce_used: 'clock',
};

/** What an OAuth 1.0a refusal says about its cause, from the provider's own error string. */
export function oauth1RefusalCause(error: ProviderError): OAuth1RefusalCause {
  const named = error.providerCode === undefined ? undefined : OUR_PROBLEMS[error.providerCode];
  if (named !== undefined) return named;
  return error.code === 'invalid_client' ? 'credentials' : 'unclear';
}

/**
 * The verdict on one user's OAuth 1.0a grant after a refusal:
 * - `grant_gone`: our credentials and clock work (a consumer-only call succeeded) and the
 *   user's token is refused: only the user can help;
 * - `grant_works`: the user's token still works, so the refusal was about something else;
 * - `credentials` / `clock`: the control call itself was refused: the fault is ours;
 * - `unverifiable`: the provider declares no grant check (`grantCheckPath`), or a check
 *   answered something that proves nothing (a 404 of a misdeclared URL).
 */
export type OAuth1GrantVerdict =
  'grant_gone' | 'grant_works' | 'credentials' | 'clock' | 'unverifiable';

/**
 * Tells a dead grant from a refusal of our own, with two calls:
 * 1. the control: a request-token call, signed with our consumer credentials only (RFC 5849
 *    §2.1); it succeeds only if our key, secret, signature and clock are good;
 * 2. the provider's grant check (`grantCheckPath`), signed with the user's token.
 * Throws the ProviderError of a transient failure (5xx, 429, network): nothing is decided.
 */
export async function checkOAuth1Grant(
  provider: OAuth1Provider,
  tokens: { readonly token: Secret; readonly tokenSecret: Secret },
  options: CallOptions = {},
): Promise<OAuth1GrantVerdict> {
  if (provider.grantCheckPath === undefined || provider.apiBaseUrl === undefined) {
    return 'unverifiable';
  }
  const call: CallOptions = { providerId: provider.id, ...options };
  const control = await refusalOf(provider, call, {
    method: 'POST',
    url: provider.requestTokenUrl,
    oauthParams: { oauth_callback: 'oob' },
  });
  if (control !== undefined) {
    const cause = oauth1RefusalCause(control);
    if (cause !== 'unclear') return cause;
    // Any other answer (a 404 of a misdeclared URL, say) proves nothing either way.
    return control.status === 401 ? 'credentials' : 'unverifiable';
  }
  const grant = await refusalOf(provider, call, {
    method: 'GET',
    url: new URL(provider.grantCheckPath, provider.apiBaseUrl).href,
    token: tokens.token,
    tokenSecret: tokens.tokenSecret,
  });
  if (grant === undefined) return 'grant_works';
  const cause = oauth1RefusalCause(grant);
  if (cause !== 'unclear') return cause;
  // Only a refusal of the token itself condemns the grant; a 404 of a wrong path does not.
  return grant.status === 401 || grant.status === 403 ? 'grant_gone' : 'unverifiable';
}

/**
 * Sends one signed call: undefined on 2xx, the refusal otherwise. Transient answers (429, 5xx,
 * network) are retried in the call and then thrown: they decide nothing.
 */
async function refusalOf(
  provider: OAuth1Provider,
  call: CallOptions,
  input: Parameters<typeof sendSignedRequest>[1],
): Promise<ProviderError | undefined> {
  return withRetry('idempotent', call, async () => {
    const answer = await sendSignedRequest(provider, input, call);
    if (answer.status >= 200 && answer.status < 300) return undefined;
    const refusal = errorFromResponse(answer, {
      providerId: provider.id,
      what: `${provider.id} grant check`,
    });
    if (refusal.retryable) throw refusal;
    return refusal;
  });
}
