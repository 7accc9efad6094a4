import { namedConnectionId } from '@tokenlane/core';
import type { MigrationView } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import { Option, type Command } from 'commander';
import { CliError, EXIT_CODES, notFoundError, usageError } from '../errors.js';
import { orDash, renderFields, renderTable } from '../output.js';
import { createProgress } from '../progress.js';
import type { CliSession } from '../session.js';
import { untilInterrupted, type OpenSession } from './shared.js';

const POLL_MS = 500;

/**
 * `migrations start|status|pause|resume|cancel|list`: provider migrations (a provider's connections moved
 * to its successor), the same operations as `/v1/migrations`. `start` and `status --watch`
 * draw a progress bar of decided connections until the migration completes; Ctrl-C stops
 * watching, never the migration (`cancel` does that).
 */
export function registerMigrations(program: Command, open: OpenSession): void {
  const migrations = program
    .command('migrations')
    .description("move a provider's connections to its successor (see docs/migrations.md)");

  migrations
    .command('start')
    .description('start a migration; waits for it with a progress bar unless --no-wait')
    .requiredOption('--from <provider>', 'the retiring provider')
    .requiredOption('--to <provider>', 'its declared successor')
    .addOption(
      new Option(
        '--mode <mode>',
        'default: token_exchange where supported, else reconsent',
      ).choices(['token_exchange', 'reconsent']),
    )
    .option('--connection <id...>', 'only these connections')
    .option('--dry-run', 'report what would happen; change nothing')
    .option('--no-wait', 'return once started')
    .action(async (options: StartOptions, command: Command) => {
      const session = open(command);
      const view = await session.withRuntime(async (runtime) => {
        const { startMigration } = await import('@tokenlane/lifecycle');
        const started = await lifecycle(() =>
          startMigration(runtime, {
            from: options.from,
            to: options.to,
            mode: options.mode,
            dryRun: options.dryRun === true,
            connectionIds: options.connection?.map(namedConnectionId),
          }),
        );
        return options.wait ? watch(session, runtime, started) : started;
      });
      session.print(view, () => describe(view));
    });

  migrations
    .command('status')
    .description('one migration with its counts (--watch: until it completes), or all of them')
    .argument('[migrationId]')
    .option('--watch', 'follow it with a progress bar until it completes')
    .action(async (id: string | undefined, options: { watch?: boolean }, command: Command) => {
      const session = open(command);
      if (id === undefined) {
        const views = await session.withRuntime(async (runtime) => {
          const { listMigrationViews } = await import('@tokenlane/lifecycle');
          return listMigrationViews(runtime);
        });
        session.print(views, () => table(views));
        return;
      }
      const view = await session.withRuntime(async (runtime) => {
        const { migrationView } = await import('@tokenlane/lifecycle');
        const found = await lifecycle(() => migrationView(runtime, id));
        return options.watch === true ? watch(session, runtime, found) : found;
      });
      session.print(view, () => describe(view));
    });

  // Each stops or restarts a migration, as its /v1/migrations/:id/<action> route does.
  const controls = [
    ['pause', 'pause a running migration; pending connections wait, nothing is lost'],
    ['resume', 'resume a paused migration (after fixing what paused it)'],
    ['cancel', 'stop a running migration; what is done stays done'],
  ] as const;
  for (const [action, description] of controls) {
    migrations
      .command(action)
      .description(description)
      .argument('<migrationId>')
      .action(async (id: string, _options: unknown, command: Command) => {
        const session = open(command);
        const view = await session.withRuntime(async (runtime) => {
          const lifecycleOps = await import('@tokenlane/lifecycle');
          const control = {
            pause: lifecycleOps.pauseMigration,
            resume: lifecycleOps.resumeMigration,
            cancel: lifecycleOps.cancelMigration,
          }[action];
          return lifecycle(() => control(runtime, id));
        });
        session.print(view, () => describe(view));
      });
  }
}

interface StartOptions {
  readonly from: string;
  readonly to: string;
  readonly mode?: 'token_exchange' | 'reconsent';
  readonly connection?: string[];
  readonly dryRun?: boolean;
  readonly wait: boolean;
}

/** Connections whose job has decided (consent requests count once they are sent). */
const decided = (view: MigrationView) => view.counts.total - view.counts.pending;

/**
 * Polls the migration and draws its progress on stderr until no connection is pending
 * (a reconsent migration then waits for its users, which can take until the sunset).
 */
async function watch(
  session: CliSession,
  runtime: Runtime,
  started: MigrationView,
): Promise<MigrationView> {
  const { migrationView } = await import('@tokenlane/lifecycle');
  const progress = createProgress(session.io.stderr, {
    enabled: !session.json,
    label: `migrating ${started.from} → ${started.to}`,
  });
  let view = started;
  await untilInterrupted(session, async (signal) => {
    for (;;) {
      progress.update(decided(view), view.counts.total);
      if (view.status !== 'running' || view.counts.pending === 0 || signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      view = await migrationView(runtime, view.id);
    }
  });
  progress.finish();
  return view;
}

/** Lifecycle refusals as CLI exit codes: a bad request is usage (2), an unknown id is 3. */
async function lifecycle<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : 'failed';
    if (code === 'invalid_migration') throw usageError(message);
    if (code === 'migration_not_found') throw notFoundError(message);
    if (code === 'migration_finished' || code === 'migration_state') {
      throw new CliError(message, EXIT_CODES.failure);
    }
    throw error;
  }
}

function describe(view: MigrationView): string {
  const { counts } = view;
  return renderFields([
    ['migration', view.id],
    ['from', `${view.from} → ${view.to} (${view.mode}${view.dryRun ? ', dry run' : ''})`],
    ['status', view.pausedReason === null ? view.status : `${view.status} (${view.pausedReason})`],
    [
      'counts',
      `${counts.total} total: ${counts.migrated} migrated, ${counts.awaitingConsent} awaiting consent, ` +
        `${counts.reauthRequired} reauth required, ${counts.failed} failed, ${counts.skipped} skipped, ` +
        `${counts.pending} pending`,
    ],
    ['created', view.createdAt],
    ['finished', orDash(view.finishedAt)],
  ]);
}

function table(views: readonly MigrationView[]): string {
  return renderTable(
    ['id', 'from', 'to', 'mode', 'status', 'total', 'migrated', 'waiting', 'reauth', 'failed'],
    views.map((v) => [
      v.id,
      v.from,
      v.to,
      v.dryRun ? `${v.mode} (dry run)` : v.mode,
      v.status,
      String(v.counts.total),
      String(v.counts.migrated),
      String(v.counts.awaitingConsent + v.counts.pending),
      String(v.counts.reauthRequired),
      String(v.counts.failed),
    ]),
  );
}
