import { Secret } from '@tokenlane/vault';
import { z } from 'zod';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../definition.js';

/** Provider ids end up in URLs (`/webhooks/:provider`) and logs: keep them plain. */
export const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

const isHttpUrl = (value: string) => {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
};

const text = z.string().min(1, 'must not be empty');
const url = z.string().refine(isHttpUrl, 'must be an absolute URL');
// Wrapped the moment they are parsed: nothing downstream ever holds them as plain strings.
const secret = text.transform((value) => new Secret(value));
/**
 * A webhook secret guards an intake URL or a signature: long enough that guessing it, one
 * rate-limited request at a time, is hopeless.
 */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;
const webhookSecret = z
  .string()
  .min(
    MIN_WEBHOOK_SECRET_LENGTH,
    `must be at least ${String(MIN_WEBHOOK_SECRET_LENGTH)} characters long`,
  )
  .transform((value) => new Secret(value));

/** `2026-12-31`, or a full ISO date-time (`2026-12-31T00:00:00Z`). */
const isoInstant = z
  .string()
  .refine(
    (value) =>
      /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    'must be an ISO date (YYYY-MM-DD) or date-time',
  );

const common = {
  displayName: text.optional(),
  clientId: text.optional(),
  clientSecret: secret.optional(),
  webhookSecret: webhookSecret.optional(),
  // Strava's subscription check echoes it in a query string: kept apart from webhookSecret,
  // which alone authenticates Strava's POSTs and must never travel where logs can see it.
  verifyToken: secret.optional(),
  authorizationUrl: url.optional(),
  revocationUrl: url.optional(),
  apiBaseUrl: url.optional(),
  apiHosts: z.array(url).max(16).optional(),
  unauthorizedStatuses: z.array(z.int().min(400).max(499)).max(8).optional(),
  urlParams: z.record(z.string(), text).optional(),
  pin: z.boolean().optional(),
  issuer: url.optional(),
  authorizationResponseIss: z.boolean().optional(),
  // null clears a built-in's sunset (an operator who knows better than the catalog).
  sunsetAt: isoInstant.nullable().optional(),
  successor: z.string().regex(PROVIDER_ID, 'must be a provider id').nullable().optional(),
  region: text.optional(),
  rateLimit: z
    .strictObject({ requests: z.int().positive(), perSeconds: z.number().positive() })
    .optional(),
  rateLimits: z
    .array(
      z.strictObject({
        requests: z.int().positive(),
        perSeconds: z.int().positive().max(2_592_000),
        per: z.enum(['app', 'connection']).optional(),
      }),
    )
    .max(8)
    .optional(),
};

export const oauth2EntrySchema = z.strictObject({
  kind: z.literal('oauth2').optional(),
  ...common,
  tokenUrl: url.optional(),
  scopes: z.array(text).optional(),
  scopeSeparator: text.optional(),
  authorizationParams: z.record(z.string(), z.string()).optional(),
  tokenEndpointAuthMethod: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).optional(),
  pkce: z.union([z.boolean(), z.enum(['required', 'supported', 'none'])]).optional(),
  refreshTokenLifetimeDays: z.number().positive().max(3_650).optional(),
  // A built-in's other generation of its OAuth server (Oura's `legacy`), by name.
  endpoints: text.optional(),
});

export const oauth1EntrySchema = z.strictObject({
  kind: z.literal('oauth1').optional(),
  ...common,
  requestTokenUrl: url.optional(),
  accessTokenUrl: url.optional(),
  tokenExchangeUrl: url.optional(),
  grantCheckPath: z
    .string()
    .regex(/^\/[^\s?#]*$/, 'must be a path under apiBaseUrl, starting with /')
    .optional(),
});

const credentials = { clientId: true, clientSecret: true } as const;

/** A custom provider must say everything a built-in definition would. */
export const customOAuth2Schema = oauth2EntrySchema.required({
  kind: true,
  authorizationUrl: true,
  tokenUrl: true,
  ...credentials,
});

export const customOAuth1Schema = oauth1EntrySchema.required({
  kind: true,
  requestTokenUrl: true,
  authorizationUrl: true,
  accessTokenUrl: true,
  ...credentials,
});

export type OAuth2Entry = z.infer<typeof oauth2EntrySchema>;
export type OAuth1Entry = z.infer<typeof oauth1EntrySchema>;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

/**
 * One zod issue as `<field> <problem>`: names the field, never echoes the value (which may
 * be a secret).
 */
export function describeIssue(
  issue: z.core.$ZodIssue,
  entry: unknown,
): { field: string; problem: string } {
  const field = fieldPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return { field: `${field}.${issue.keys[0] ?? '?'}`, problem: 'is not a known field' };
    case 'invalid_type':
      return valueAt(entry, issue.path) === undefined
        ? { field, problem: 'is required' }
        : {
            field,
            problem: `must be ${issue.expected === 'array' ? 'an array' : `a ${issue.expected}`}`,
          };
    case 'invalid_value':
      return {
        field,
        problem: `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`,
      };
    case 'invalid_union':
      return { field, problem: 'has an unsupported value' };
    default:
      return { field, problem: issue.message };
  }
}
