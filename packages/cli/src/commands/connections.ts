import {
  CONNECTION_STATUSES,
  isUuid,
  type ConnectionStatus,
  namedConnectionId,
} from '@tokenlane/core';
import { Option, type Command } from 'commander';
import { notFoundError, usageError } from '../errors.js';
import { orDash, renderFields, renderTable } from '../output.js';
import { toConnectionView, type ConnectionView } from '@tokenlane/lifecycle';
import { integerIn, type OpenSession } from './shared.js';

interface ListOptions {
  readonly user?: string;
  readonly provider?: string;
  readonly status?: ConnectionStatus;
  readonly limit: number;
  readonly after?: string;
}

/** `connections list|show`: the connection view of the HTTP API, never a token. */
export function registerConnections(program: Command, open: OpenSession): void {
  const connections = program
    .command('connections')
    .description('list and inspect connections (tokens are never shown)');

  connections
    .command('list')
    .description('list connections, oldest first, one page at a time')
    .option('--user <userId>', 'only this user')
    .option('--provider <provider>', 'only this provider')
    .addOption(new Option('--status <status>', 'only this status').choices(CONNECTION_STATUSES))
    .option('--limit <n>', 'page size, 1-1000', integerIn(1, 1000), 50)
    .option('--after <connectionId>', 'start after this connection (the previous nextCursor)')
    .action(async (options: ListOptions, command: Command) => {
      const session = open(command);
      if (options.after !== undefined && !isUuid(options.after)) {
        throw usageError(`--after must be a connection id (got ${JSON.stringify(options.after)})`);
      }
      const { listConnections } = await import('@tokenlane/db');
      const rows = await session.withRuntime((runtime) =>
        listConnections(runtime.db, {
          userId: options.user,
          provider: options.provider,
          status: options.status,
          after: options.after === undefined ? undefined : namedConnectionId(options.after),
          limit: options.limit,
        }),
      );
      const data = rows.map(toConnectionView);
      const nextCursor = rows.length === options.limit ? (rows.at(-1)?.id ?? null) : null;
      session.print({ data, nextCursor }, () => renderList(data, nextCursor));
    });

  connections
    .command('show')
    .description('show one connection')
    .argument('<connectionId>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const session = open(command);
      const { findConnection } = await import('@tokenlane/db');
      const connection = await session.withRuntime((runtime) =>
        findConnection(runtime.db, namedConnectionId(id)),
      );
      if (connection === undefined) throw notFoundError(`connection ${id} not found`);
      const view = toConnectionView(connection);
      session.print(view, () => renderConnection(view));
    });
}

function renderList(data: readonly ConnectionView[], nextCursor: string | null): string {
  if (data.length === 0) return 'no connections\n';
  const table = renderTable(
    ['id', 'user', 'provider', 'status', 'expires', 'refresh due', 'last error'],
    data.map((c) => [
      c.id,
      c.userId,
      c.provider,
      c.status,
      orDash(c.expiresAt),
      orDash(c.refreshDueAt),
      orDash(c.lastErrorCode),
    ]),
  );
  return nextCursor === null ? table : `${table}more: --after ${nextCursor}\n`;
}

function renderConnection(c: ConnectionView): string {
  return renderFields([
    ['id', c.id],
    ['user', c.userId],
    ['provider', c.provider],
    ['provider user', orDash(c.providerUserId)],
    ['status', c.status],
    ['scopes', c.scopes.length === 0 ? '-' : c.scopes.join(' ')],
    ['expires', orDash(c.expiresAt)],
    ['refresh due', orDash(c.refreshDueAt)],
    ['last refreshed', orDash(c.lastRefreshedAt)],
    ['last error', orDash(c.lastErrorCode)],
    ['refresh attempts', String(c.refreshAttempts)],
    ['created', c.createdAt],
    ['updated', c.updatedAt],
    ['revoked', orDash(c.revokedAt)],
  ]);
}
