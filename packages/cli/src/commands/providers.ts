import type { Command } from 'commander';
import { orDash, renderTable } from '../output.js';
import type { OpenSession } from './shared.js';

/** One provider as `providers` lists it: never a client id or secret. */
interface ProviderRow {
  readonly id: string;
  readonly kind: string;
  readonly configured: boolean;
  readonly sunsetAt: string | null;
  readonly successor: string | null;
  readonly retired: boolean;
}

/** `providers`: every provider this deployment knows, with sunsets and successors. */
export function registerProviders(program: Command, open: OpenSession): void {
  program
    .command('providers')
    .description('list providers: kind, configured, sunset and successor')
    .action(async (_options: unknown, command: Command) => {
      const session = open(command);
      const { isRetired, loadProviders } = await import('@tokenlane/providers');
      const config = session.config();
      const registry = loadProviders({
        ...(config.providersFile === undefined ? {} : { file: config.providersFile }),
        publicUrl: config.publicUrl,
      });
      const rows: ProviderRow[] = registry.list().map((provider) => ({
        id: provider.id,
        kind: provider.kind,
        configured: provider.configured,
        sunsetAt: provider.sunsetAt ?? null,
        successor: provider.successor ?? null,
        retired: isRetired(provider),
      }));
      session.print(rows, () =>
        renderTable(
          ['provider', 'kind', 'configured', 'sunset', 'successor'],
          rows.map((row) => [
            row.id,
            row.kind,
            row.configured ? 'yes' : 'no',
            row.sunsetAt === null ? '-' : `${row.sunsetAt}${row.retired ? ' (retired)' : ''}`,
            orDash(row.successor),
          ]),
        ),
      );
    });
}
