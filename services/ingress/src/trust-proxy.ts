/** Which hop of `X-Forwarded-For` (0: the socket's peer) may name the one before it. */
type TrustFunction = (address: string, hop: number) => boolean;

/**
 * `TOKENLANE_TRUST_PROXY` as Fastify's `trustProxy`, so `request.ip` is the client's address
 * (the per-address limits count by it). Unset: `false`, the socket address. CIDR blocks:
 * given as they are (only a listed proxy may name the client). A hop count: a function
 * believing the socket's peer and the hops behind it, `count` in all; Fastify's own numeric
 * form ignores `X-Forwarded-For` altogether since it cannot check the peer, so with a count
 * the ingress port must be reachable only through the proxies (docs/operations.md).
 */
export function trustProxyOption(
  setting: number | readonly string[] | undefined,
): false | string[] | TrustFunction {
  if (setting === undefined) return false;
  if (typeof setting !== 'number') return [...setting];
  return (_address, hop) => hop < setting;
}
