import type { Connection } from '@tokenlane/db';

/**
 * Whether a re-link of `connection` may go to `provider`: its own provider. A provider's
 * declared successor (the migrations work adds `successor` to provider definitions) is the
 * one other provider to allow here, and only here.
 */
export function isRelinkProvider(
  connection: Pick<Connection, 'provider'>,
  provider: string,
): boolean {
  return provider === connection.provider;
}
