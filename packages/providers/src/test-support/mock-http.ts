import { SECRETS } from '@tokenlane/oauth/test-support';
import type { OAuth2Provider } from '../definition.js';
import { loadProviders } from '../registry/load.js';

export * from '@tokenlane/oauth/test-support';

/** Every built-in configured with test credentials. */
export function builtinRegistry() {
  const credentials = { clientId: 'client-id', clientSecret: SECRETS.clientSecret };
  return loadProviders({
    publicUrl: 'https://tokenlane.test',
    file: {
      fitbit: credentials,
      'google-health': credentials,
      'google-nest': { ...credentials, urlParams: { projectId: 'project-1' } },
      whoop: credentials,
      oura: credentials,
      withings: credentials,
      polar: credentials,
      strava: credentials,
      dexcom: credentials,
      'garmin-oauth2': credentials,
      'nest-legacy': credentials,
      garmin: credentials,
    },
  });
}

/** The configured OAuth 2.0 provider `id` of a registry. */
export function oauth2Of(registry: ReturnType<typeof loadProviders>, id: string): OAuth2Provider {
  const provider = registry.require(id);
  if (provider.kind !== 'oauth2') throw new Error(`${id} is not OAuth 2.0`);
  return provider;
}
