import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerCall } from './commands/call.js';
import { registerConnections } from './commands/connections.js';
import { registerEvents } from './commands/events.js';
import { registerJobs } from './commands/jobs.js';
import { registerKeys } from './commands/keys.js';
import { registerMigrate } from './commands/migrate.js';
import { registerMigrations } from './commands/migrations.js';
import { registerProviders } from './commands/providers.js';
import { registerQueues } from './commands/queues.js';
import { CliSession, type CliIo } from './session.js';

const EXIT_HELP = `
Exit codes: 0 ok, 1 failure, 2 usage or environment error, 3 connection not found.
Reads the same environment as the services (DATABASE_URL, REDIS_URL, TOKENLANE_*).`;

function version(): string {
  // src/ and dist/ both sit one level below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}

/** The `tokenlane` command tree; commander errors throw (exitOverride) instead of exiting. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('tokenlane')
    .description(
      'Operate tokenlane: connections, provider calls, jobs, events, queues, encryption keys, migrations.',
    )
    .version(version())
    .option('--json', 'machine-readable output: one JSON document (NDJSON for events tail)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })
    .showSuggestionAfterError()
    .addHelpText('after', EXIT_HELP);
  const open = (command: Command) =>
    new CliSession(io, command.optsWithGlobals<{ json?: boolean }>().json === true);
  registerConnections(program, open);
  registerJobs(program, open);
  registerEvents(program, open);
  registerQueues(program, open);
  registerKeys(program, open);
  registerMigrate(program, open);
  registerMigrations(program, open);
  registerProviders(program, open);
  registerCall(program, open);
  return program;
}
