import type { ProviderDefinition } from '../definition.js';
import { ProvidersFileError } from '../errors.js';

/**
 * The instant a provider stops answering: a bare date is the start of that day in UTC, so a
 * provider that "retires on 2026-12-31" is treated as gone for the whole of that day.
 */
export function sunsetInstant(provider: Pick<ProviderDefinition, 'sunsetAt'>): Date | undefined {
  if (provider.sunsetAt === undefined) return undefined;
  const iso = provider.sunsetAt.includes('T')
    ? provider.sunsetAt
    : `${provider.sunsetAt}T00:00:00Z`;
  return new Date(iso);
}

/** Whether the provider's sunset has passed: its API is gone, and so are its grants. */
export function isRetired(
  provider: Pick<ProviderDefinition, 'sunsetAt'>,
  now: Date = new Date(),
): boolean {
  const sunset = sunsetInstant(provider);
  return sunset !== undefined && sunset.getTime() <= now.getTime();
}

/**
 * Boot-time check of every `successor`: it names a known provider, that provider speaks OAuth
 * 2.0 (users are moved onto refreshable grants, never onto another legacy protocol), and it is
 * not retired itself. Throws a ProvidersFileError naming the provider and field.
 */
export function checkSuccessors(
  providers: ReadonlyMap<string, ProviderDefinition>,
  now: Date = new Date(),
): void {
  for (const provider of providers.values()) {
    if (provider.successor === undefined) continue;
    const fail = (problem: string) => {
      throw new ProvidersFileError(`"${provider.id}".successor ${problem}`, {
        providerId: provider.id,
        field: 'successor',
      });
    };
    const successor = providers.get(provider.successor);
    if (successor === undefined) fail(`names an unknown provider "${provider.successor}"`);
    else if (successor.id === provider.id) fail('must name another provider');
    else if (successor.kind !== 'oauth2') fail(`"${successor.id}" must be an OAuth 2.0 provider`);
    else if (isRetired(successor, now)) fail(`"${successor.id}" is retired itself`);
  }
}
