import type { z } from 'zod';
import { BUILTIN_PROVIDERS } from '../catalog/index.js';
import type {
  OAuth1Definition,
  OAuth2Definition,
  PkceSupport,
  Provider,
  ProviderDefinition,
  UnconfiguredProvider,
} from '../definition.js';
import { ProviderNotConfiguredError, ProvidersFileError, UnknownProviderError } from '../errors.js';
import {
  customOAuth1Schema,
  customOAuth2Schema,
  describeIssue,
  oauth1EntrySchema,
  oauth2EntrySchema,
  PROVIDER_ID,
  type OAuth1Entry,
  type OAuth2Entry,
} from './schema.js';
import { withEndpointSet } from './endpoint-sets.js';
import { readProvidersFile } from './file.js';
import { checkSuccessors } from './sunset.js';

export type RegisteredProvider = Provider | UnconfiguredProvider;

/** Every provider tokenlane knows: built-ins (configured or not) and custom ones. */
export interface ProviderRegistry {
  get(id: string): RegisteredProvider | undefined;
  /** A configured provider; throws UnknownProviderError or ProviderNotConfiguredError. */
  require(id: string): Provider;
  list(): readonly RegisteredProvider[];
}

export interface LoadProvidersOptions {
  /** A path to the providers file (docs/api.md), or its already-parsed content. */
  readonly file?: string | object;
  /** Entries added beside the file's (the dev demo provider); an id in both is an error. */
  readonly extra?: Readonly<Record<string, object>>;
  readonly builtins?: readonly ProviderDefinition[];
  /** `PUBLIC_URL`; the redirect URI is `${publicUrl}/oauth/callback`. */
  readonly publicUrl: string;
}

const URL_FIELDS = [
  'authorizationUrl',
  'tokenUrl',
  'revocationUrl',
  'apiBaseUrl',
  'requestTokenUrl',
  'accessTokenUrl',
  'tokenExchangeUrl',
] as const;

function parseEntry<S extends z.ZodType>(schema: S, id: string, entry: unknown): z.output<S> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new ProvidersFileError(`"${id}" must be an object`, { providerId: id });
  }
  const result = schema.safeParse(entry);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const { field, problem } = issue
    ? describeIssue(issue, entry)
    : { field: '', problem: 'is invalid' };
  throw new ProvidersFileError(`"${id}"${field} ${problem}`, {
    providerId: id,
    field: field.slice(1),
  });
}

function pkceSupport(value: boolean | PkceSupport | undefined, fallback: PkceSupport): PkceSupport {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value ? 'required' : 'none';
  return value;
}

/** Fills `{name}` placeholders from `urlParams`; a configured provider must fill them all. */
function fillUrls<T extends ProviderDefinition>(
  id: string,
  merged: T,
  params: Readonly<Record<string, string>>,
  configured: boolean,
): T {
  const filled: Record<string, unknown> = { ...merged };
  for (const field of URL_FIELDS) {
    const value = filled[field];
    if (typeof value !== 'string') continue;
    filled[field] = value.replace(/\{([\w-]+)\}/g, (placeholder, name: string) => {
      const param = params[name];
      if (param !== undefined) return encodeURIComponent(param);
      if (!configured) return placeholder;
      throw new ProvidersFileError(`"${id}".urlParams.${name} is required (used in ${field})`, {
        providerId: id,
        field: `urlParams.${name}`,
      });
    });
  }
  return filled as T;
}

function credentialsOf(id: string, entry: OAuth2Entry | OAuth1Entry) {
  const { clientId, clientSecret } = entry;
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined || clientSecret === undefined) {
    const missing = clientId === undefined ? 'clientId' : 'clientSecret';
    throw new ProvidersFileError(`"${id}".${missing} is required with the other credential`, {
      providerId: id,
      field: missing,
    });
  }
  return { clientId, clientSecret };
}

/** Members of an entry that configure the connection rather than describe the provider. */
const NOT_DEFINITION = new Set([
  'kind',
  'clientId',
  'clientSecret',
  'webhookSecret',
  'verifyToken',
  'urlParams',
  'region',
  'endpoints',
]);
type NotDefinition =
  | 'kind'
  | 'clientId'
  | 'clientSecret'
  | 'webhookSecret'
  | 'verifyToken'
  | 'urlParams'
  | 'region'
  | 'endpoints';

/** A `null` in the file clears the built-in's value (`"sunsetAt": null`). */
const CLEARABLE = new Set(['sunsetAt', 'successor']);

function definitionFields<T extends object>(entry: T): Omit<T, NotDefinition> {
  return Object.fromEntries(
    Object.entries(entry).filter(([key]) => !NOT_DEFINITION.has(key)),
  ) as Omit<T, NotDefinition>;
}

/** Drops the members a file entry cleared with `null`. */
function withoutCleared<T extends object>(merged: T): T {
  return Object.fromEntries(
    Object.entries(merged).filter(([key, value]) => !(CLEARABLE.has(key) && value === null)),
  ) as T;
}

function mergeOAuth2(id: string, builtin: OAuth2Definition | undefined, entry: OAuth2Entry) {
  const base = withEndpointSet(id, builtin, entry.endpoints);
  const { pkce, authorizationParams, ...rest } = definitionFields(entry);
  return {
    id,
    displayName: id,
    scopes: [],
    scopeSeparator: ' ',
    tokenEndpointAuthMethod: 'client_secret_basic',
    ...base,
    ...(rest as Partial<OAuth2Definition>),
    kind: 'oauth2',
    authorizationUrl: rest.authorizationUrl ?? base?.authorizationUrl ?? '',
    tokenUrl: rest.tokenUrl ?? base?.tokenUrl ?? '',
    authorizationParams: { ...base?.authorizationParams, ...authorizationParams },
    pkce: pkceSupport(pkce, base?.pkce ?? 'none'),
  } satisfies OAuth2Definition;
}

function mergeOAuth1(id: string, base: OAuth1Definition | undefined, entry: OAuth1Entry) {
  const rest = definitionFields(entry);
  return {
    id,
    displayName: id,
    ...base,
    ...(rest as Partial<OAuth1Definition>),
    kind: 'oauth1',
    requestTokenUrl: rest.requestTokenUrl ?? base?.requestTokenUrl ?? '',
    authorizationUrl: rest.authorizationUrl ?? base?.authorizationUrl ?? '',
    accessTokenUrl: rest.accessTokenUrl ?? base?.accessTokenUrl ?? '',
  } satisfies OAuth1Definition;
}

/** The definition with `entry.region`'s endpoints; endpoints the entry names itself win. */
function inRegion<T extends ProviderDefinition>(
  id: string,
  merged: T,
  entry: OAuth2Entry | OAuth1Entry,
): T {
  const region = entry.region ?? '';
  const urls = merged.regions?.[region];
  if (urls === undefined) {
    const known = Object.keys(merged.regions ?? {});
    throw new ProvidersFileError(
      `"${id}".region must be ${known.length === 0 ? 'absent (this provider has no regions)' : known.map((name) => JSON.stringify(name)).join(' or ')}`,
      { providerId: id, field: 'region' },
    );
  }
  const own = Object.fromEntries(
    URL_FIELDS.filter((field) => (entry as Record<string, unknown>)[field] !== undefined).map(
      (field) => [field, (entry as Record<string, unknown>)[field]],
    ),
  );
  return { ...merged, ...urls, ...own };
}

/**
 * An entry that sets only the old `rateLimit` means that one window: the built-in's own
 * `rateLimits` (which would otherwise win over it) are dropped.
 */
function withFileRateLimit<T extends ProviderDefinition>(
  merged: T,
  entry: OAuth2Entry | OAuth1Entry,
): T {
  if (entry.rateLimit === undefined || entry.rateLimits !== undefined) return merged;
  return Object.fromEntries(Object.entries(merged).filter(([key]) => key !== 'rateLimits')) as T;
}

/** A built-in's kind, or a custom entry's declared one. */
function kindOf(id: string, base: ProviderDefinition | undefined, raw: unknown) {
  if (base !== undefined) return base.kind;
  const kind =
    typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  if (kind === 'oauth2' || kind === 'oauth1') return kind;
  throw new ProvidersFileError(
    `"${id}".kind is required for a custom provider ("oauth2" or "oauth1")`,
    { providerId: id, field: 'kind' },
  );
}

function resolve(
  id: string,
  base: ProviderDefinition | undefined,
  raw: unknown,
  redirectUri: string,
): RegisteredProvider {
  const custom = base === undefined;
  const input = raw ?? {};
  let entry: OAuth2Entry | OAuth1Entry;
  let merged: ProviderDefinition;
  if (kindOf(id, base, raw) === 'oauth2') {
    const parsed = parseEntry(custom ? customOAuth2Schema : oauth2EntrySchema, id, input);
    merged = withoutCleared(mergeOAuth2(id, base as OAuth2Definition | undefined, parsed));
    entry = parsed;
  } else {
    const parsed = parseEntry(custom ? customOAuth1Schema : oauth1EntrySchema, id, input);
    merged = withoutCleared(mergeOAuth1(id, base as OAuth1Definition | undefined, parsed));
    entry = parsed;
  }
  merged = withFileRateLimit(merged, entry);
  const credentials = credentialsOf(id, entry);
  checkVerifyToken(id, merged, entry);
  if (entry.region !== undefined) merged = inRegion(id, merged, entry);
  const filled = fillUrls(id, merged, entry.urlParams ?? {}, credentials !== undefined);
  if (credentials === undefined) return Object.freeze({ ...filled, configured: false as const });
  return Object.freeze({
    ...filled,
    configured: true as const,
    custom,
    ...credentials,
    ...(entry.webhookSecret === undefined ? {} : { webhookSecret: entry.webhookSecret }),
    ...(entry.verifyToken === undefined ? {} : { verifyToken: entry.verifyToken }),
    redirectUri,
  });
}

/** Formats whose subscription check reads `verifyToken`. */
const VERIFY_TOKEN_FORMATS = new Set<string>(['strava']);

/**
 * `verifyToken` only where a subscription check reads it, and never equal to the
 * `webhookSecret`: the token is echoed in a query string, while the secret alone proves a
 * notice came from the provider.
 */
function checkVerifyToken(
  id: string,
  merged: ProviderDefinition,
  entry: OAuth2Entry | OAuth1Entry,
) {
  if (entry.verifyToken === undefined) return;
  if (!VERIFY_TOKEN_FORMATS.has(merged.notifications?.format ?? '')) {
    throw new ProvidersFileError(`"${id}".verifyToken is read only for strava`, {
      providerId: id,
      field: 'verifyToken',
    });
  }
  if (entry.webhookSecret !== undefined && entry.verifyToken.equals(entry.webhookSecret)) {
    throw new ProvidersFileError(`"${id}".verifyToken must differ from webhookSecret`, {
      providerId: id,
      field: 'verifyToken',
    });
  }
}

function withExtra(
  file: Record<string, unknown>,
  extra: Readonly<Record<string, object>> | undefined,
): Record<string, unknown> {
  for (const id of Object.keys(extra ?? {})) {
    if (Object.hasOwn(file, id)) {
      throw new ProvidersFileError(
        `"${id}" is in the providers file and also added at startup (the dev demo provider): rename one`,
        { providerId: id },
      );
    }
  }
  return { ...file, ...extra };
}

/**
 * Builds the registry from the built-in catalog and the providers file, validated at boot:
 * a bad entry throws a ProvidersFileError whose one-line message names provider and field.
 */
export function loadProviders(options: LoadProvidersOptions): ProviderRegistry {
  if (!URL.canParse(options.publicUrl)) throw new TypeError('publicUrl must be an absolute URL');
  const redirectUri = `${options.publicUrl.replace(/\/+$/, '')}/oauth/callback`;
  const file = withExtra(readProvidersFile(options.file), options.extra);
  const builtins = new Map((options.builtins ?? BUILTIN_PROVIDERS).map((d) => [d.id, d]));
  const providers = new Map<string, RegisteredProvider>();
  for (const [id, definition] of builtins) {
    providers.set(id, resolve(id, definition, file[id], redirectUri));
  }
  for (const [id, raw] of Object.entries(file)) {
    if (builtins.has(id)) continue;
    if (!PROVIDER_ID.test(id)) {
      throw new ProvidersFileError(
        `"${id}" is not a valid provider id (lower-case letters, digits and dashes)`,
        { providerId: id },
      );
    }
    providers.set(id, resolve(id, undefined, raw, redirectUri));
  }
  checkSuccessors(providers);
  const list = Object.freeze([...providers.values()]);
  return {
    get: (id) => providers.get(id),
    require(id) {
      const provider = providers.get(id);
      if (provider === undefined) throw new UnknownProviderError(id);
      if (!provider.configured) throw new ProviderNotConfiguredError(id);
      return provider;
    },
    list: () => list,
  };
}
