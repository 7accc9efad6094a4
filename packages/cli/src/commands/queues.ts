import type { JobName } from '@tokenlane/lifecycle';
import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { renderTable } from '../output.js';
import type { OpenSession } from './shared.js';

/** Every BullMQ state a tokenlane job can be in, in the order the table shows them. */
export const JOB_STATES = [
  'waiting',
  'prioritized',
  'delayed',
  'active',
  'waiting-children',
  'completed',
  'failed',
] as const;

type Counts = Record<(typeof JOB_STATES)[number], number>;

/** `queues stats` and `queues retry-failed <queue>`, under the configured queue prefix. */
export function registerQueues(program: Command, open: OpenSession): void {
  const queues = program.command('queues').description('inspect and nudge the job queues');

  queues
    .command('stats')
    .description('job counts per queue and state')
    .action(async (_options: unknown, command: Command) => {
      const session = open(command);
      const { JOB_NAMES } = await import('@tokenlane/lifecycle');
      const stats = await session.withRuntime(async (runtime) => {
        const entries = await Promise.all(
          JOB_NAMES.map(async (name) => {
            const counts = await runtime.queues.queue(name).getJobCounts(...JOB_STATES);
            return [name, pick(counts)] as const;
          }),
        );
        return { prefix: runtime.queues.prefix, queues: Object.fromEntries(entries) };
      });
      session.print(stats, () =>
        renderTable(
          ['queue', ...JOB_STATES],
          Object.entries(stats.queues).map(([name, counts]) => [
            name,
            ...JOB_STATES.map((state) => String(counts[state])),
          ]),
        ),
      );
    });

  queues
    .command('retry-failed')
    .description('move every failed job of one queue back to waiting')
    .argument('<queue>', 'a queue name, as `queues stats` lists them')
    .action(async (name: string, _options: unknown, command: Command) => {
      const session = open(command);
      const { JOB_NAMES } = await import('@tokenlane/lifecycle');
      if (!isJobName(name, JOB_NAMES)) {
        throw usageError(`unknown queue "${name}"; one of: ${JOB_NAMES.join(', ')}`);
      }
      const retried = await session.withRuntime(async (runtime) => {
        const queue = runtime.queues.queue(name);
        const failed = await queue.getFailedCount();
        if (failed > 0) await queue.retryJobs({ state: 'failed', count: 1_000 });
        return failed;
      });
      session.print({ queue: name, retried }, () =>
        retried === 0
          ? `no failed jobs in ${name}\n`
          : `${retried} failed ${name} job(s) retried\n`,
      );
    });
}

function isJobName(name: string, names: readonly JobName[]): name is JobName {
  return (names as readonly string[]).includes(name);
}

function pick(counts: Record<string, number>): Counts {
  return Object.fromEntries(JOB_STATES.map((state) => [state, counts[state] ?? 0])) as Counts;
}
