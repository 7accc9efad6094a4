import { namedConnectionId } from '@tokenlane/core';
import { refreshJob, requestRefresh, revokeJob } from '@tokenlane/lifecycle';
import type { Runtime } from '@tokenlane/runtime';
import type { Command } from 'commander';
import { notFoundError } from '../errors.js';
import type { OpenSession } from './shared.js';

/** What `refresh` and `revoke` print: the job that will do the work (ids only). */
interface EnqueuedView {
  readonly queue: 'refresh' | 'revoke';
  readonly jobId: string | null;
  readonly connectionId: string;
  readonly status: string;
}

/**
 * `refresh <id>` and `revoke <id>`: the same deterministic jobs the API enqueues, so an
 * operator's refresh joins one already pending instead of racing it (docs/architecture.md, rule 4).
 */
export function registerJobs(program: Command, open: OpenSession): void {
  program
    .command('refresh')
    .description('enqueue a refresh of one connection (joins a pending one)')
    .argument('<connectionId>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const session = open(command);
      const view = await session.withRuntime(async (runtime) => {
        const connection = await existing(runtime, id);
        // Joins a job the sweeper scheduled as the operator's own, so it runs now.
        await requestRefresh(runtime, connection.id, 'operator');
        return enqueued(
          'refresh',
          refreshJob.jobId({ connectionId: connection.id, trigger: 'operator' }),
          connection,
        );
      });
      session.print(view, () => describe(view));
    });

  program
    .command('revoke')
    .description('enqueue a revocation: revoke at the provider, then wipe the tokens')
    .argument('<connectionId>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const session = open(command);
      const view = await session.withRuntime(async (runtime) => {
        const connection = await existing(runtime, id);
        const job = await runtime.queues.enqueue(revokeJob, {
          connectionId: connection.id,
          reason: 'operator',
        });
        return enqueued('revoke', job.id, connection);
      });
      session.print(view, () => describe(view));
    });
}

async function existing(runtime: Runtime, id: string) {
  const { findConnection } = await import('@tokenlane/db');
  const connection = await findConnection(runtime.db, namedConnectionId(id));
  if (connection === undefined) throw notFoundError(`connection ${id} not found`);
  return connection;
}

function enqueued(
  queue: EnqueuedView['queue'],
  jobId: string | undefined,
  connection: { id: string; status: string },
): EnqueuedView {
  return { queue, jobId: jobId ?? null, connectionId: connection.id, status: connection.status };
}

function describe(view: EnqueuedView): string {
  return `${view.queue} of ${view.connectionId} (${view.status}) enqueued as job ${view.jobId ?? '?'}\n`;
}
