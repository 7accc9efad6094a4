import type { OAuth2Definition, OAuth2EndpointSet } from '../definition.js';
import { ProvidersFileError } from '../errors.js';

/** The definition fields an endpoint set replaces together: they describe one server. */
const SERVER_FIELDS = [
  'authorizationUrl',
  'tokenUrl',
  'revocationUrl',
  'issuer',
  'authorizationResponseIss',
  'scopes',
  'tokenEndpointAuthMethod',
  'pkce',
] as const satisfies readonly (keyof OAuth2EndpointSet & keyof OAuth2Definition)[];

function unknownSet(id: string, base: OAuth2Definition | undefined): ProvidersFileError {
  const known = Object.keys(base?.endpointSets ?? {}).map((name) => JSON.stringify(name));
  const allowed =
    known.length === 0
      ? 'absent (this provider has one set of endpoints)'
      : `${known.join(' or ')}, or absent for the current endpoints`;
  return new ProvidersFileError(`"${id}".endpoints must be ${allowed}`, {
    providerId: id,
    field: 'endpoints',
  });
}

/**
 * The built-in with the endpoint set the entry names (`"endpoints": "legacy"`) in place of its
 * own server: URLs, issuer, scopes, client authentication, PKCE and revocation, whole, so
 * nothing of the other server (an `issuer` it checks, a revocation quirk) is left behind.
 * No name: the built-in as it is. An unknown name, or one on a custom provider, is refused.
 */
export function withEndpointSet(
  id: string,
  base: OAuth2Definition | undefined,
  name: string | undefined,
): OAuth2Definition | undefined {
  if (name === undefined) return base;
  const sets = base?.endpointSets ?? {};
  // Own names only: "constructor" must not find Object's.
  const set = Object.hasOwn(sets, name) ? sets[name] : undefined;
  if (base === undefined || set === undefined) throw unknownSet(id, base);
  const { revoke, ...server } = set;
  const rest = without(base, [...SERVER_FIELDS, 'hooks']);
  const hooks = without(base.hooks ?? {}, ['revoke']);
  return { ...rest, ...server, hooks: revoke === undefined ? hooks : { ...hooks, revoke } };
}

function without<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Omit<T, K> {
  const dropped = new Set<PropertyKey>(keys);
  return Object.fromEntries(Object.entries(object).filter(([key]) => !dropped.has(key))) as Omit<
    T,
    K
  >;
}
