import type { Command } from 'commander';
import type { OpenSession } from './shared.js';

/** `migrate`: what every service does at start, on its own (database only, no Redis). */
export function registerMigrate(program: Command, open: OpenSession): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the services also do this at start)')
    .action(async (_options: unknown, command: Command) => {
      const session = open(command);
      const { migrateToLatest } = await import('@tokenlane/db');
      const applied = await session.withDatabase((db) => migrateToLatest(db.db));
      session.print({ applied }, () =>
        applied.length === 0
          ? 'database is up to date\n'
          : applied.map((name) => `applied ${name}\n`).join(''),
      );
    });
}
