import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { CliSession } from '../session.js';
import { toEventView, type EventView } from '@tokenlane/lifecycle';
import { integerIn, untilInterrupted, type OpenSession } from './shared.js';

const PAGE_SIZE = 500;
const POLL_MS = 1_000;

interface TailOptions {
  readonly after: number;
  readonly follow?: boolean;
}

/** `events tail`: the outbox in cursor order, as `GET /v1/events` pages it. */
export function registerEvents(program: Command, open: OpenSession): void {
  program
    .command('events')
    .description('read lifecycle events')
    .command('tail')
    .description('print events after a cursor, oldest first; --follow keeps polling')
    .option(
      '--after <cursor>',
      'start after this cursor (an event’s "cursor")',
      integerIn(0, Number.MAX_SAFE_INTEGER),
      0,
    )
    .option('--follow', 'poll every second for new events until interrupted (Ctrl-C)')
    .action(async (options: TailOptions, command: Command) => {
      const session = open(command);
      const { listEvents } = await import('@tokenlane/db');
      await session.withRuntime((runtime) =>
        untilInterrupted(session, async (signal) => {
          let after = options.after;
          if (!session.json) session.io.stdout.write(headerLine());
          while (!signal.aborted) {
            const page = await listEvents(runtime.db, { after, limit: PAGE_SIZE });
            for (const event of page) printEvent(session, toEventView(event));
            after = page.at(-1)?.seq ?? after;
            if (page.length === PAGE_SIZE) continue;
            if (options.follow !== true) return;
            await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
          }
        }),
      );
    });
}

/** NDJSON with --json: one event per line, whatever the terminal. */
function printEvent(session: CliSession, event: EventView): void {
  if (session.json) {
    session.io.stdout.write(`${JSON.stringify(event)}\n`);
    return;
  }
  const status = typeof event.data.status === 'string' ? event.data.status : '-';
  session.io.stdout.write(
    `${columns(event.cursor, event.createdAt, event.type, event.connectionId ?? '-', event.provider ?? '-', status)}\n`,
  );
}

const WIDTHS = [8, 24, 28, 36, 12] as const;

function columns(...cells: string[]): string {
  return cells
    .map((cell, i) => cell.padEnd(WIDTHS[i] ?? 0))
    .join('  ')
    .trimEnd();
}

function headerLine(): string {
  return `${columns('CURSOR', 'CREATED', 'TYPE', 'CONNECTION', 'PROVIDER', 'STATUS')}\n`;
}
