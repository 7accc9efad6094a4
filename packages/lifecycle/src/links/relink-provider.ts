import type { Connection } from '@tokenlane/db';
import type { ProviderRegistry } from '@tokenlane/providers';

/**
 * Whether a link that names `connection` may go to `provider`: the connection's own provider
 * (a re-link), or that provider's declared successor (a move, which keeps the connection id).
 * The one place this is decided, for `POST /v1/links {connectionId}` and the relink route.
 */
export function isRelinkProvider(
  providers: ProviderRegistry,
  connection: Pick<Connection, 'provider'>,
  provider: string,
): boolean {
  return (
    provider === connection.provider || provider === providers.get(connection.provider)?.successor
  );
}
