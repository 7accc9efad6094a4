import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { isUuid, namedConnectionId } from '@tokenlane/core';
import type { Command } from 'commander';
import { CliError, EXIT_CODES, notFoundError, usageError } from '../errors.js';
import type { OutputStream } from '../output.js';
import type { CliIo } from '../session.js';
import { integerIn, untilInterrupted, type OpenSession } from './shared.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface CallOptions {
  readonly query: string[];
  readonly header: string[];
  readonly data?: string;
  readonly timeout: number;
}

const repeat = (value: string, previous: string[]) => [...previous, value];

/** `k=v` pairs on top of a query the path may already carry, encoded as a form would be. */
function queryOf(path: string, pairs: readonly string[]): { path: string; query: string } {
  const at = path.indexOf('?');
  const bare = at === -1 ? path : path.slice(0, at);
  const parts = at === -1 ? [] : [path.slice(at + 1)];
  const added = new URLSearchParams();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw usageError(`--query takes name=value, not "${pair}"`);
    added.append(pair.slice(0, eq), pair.slice(eq + 1));
  }
  if (pairs.length > 0) parts.push(added.toString());
  return { path: bare, query: parts.filter((part) => part !== '').join('&') };
}

function headersOf(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon < 1 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) {
      throw usageError(`--header takes name:value, not "${line}"`);
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** `--data @file` streams the file, `--data -` stdin; nothing else is taken as a body. */
function bodyOf(data: string | undefined, io: CliIo): AsyncIterable<unknown> | undefined {
  if (data === undefined) return undefined;
  if (data === '-') {
    if (io.stdin === undefined) throw usageError('--data - needs a standard input');
    return io.stdin;
  }
  if (data.startsWith('@') && data.length > 1) return createReadStream(data.slice(1));
  throw usageError('--data takes @file (a file to send) or - (standard input)');
}

/** Writes the provider's body as it arrives, waiting whenever stdout asks to (a slow pipe). */
async function streamTo(stream: OutputStream, body: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of body) {
    const writable = stream.write(chunk);
    if (writable === false && 'once' in stream) {
      await once(stream as unknown as NodeJS.EventEmitter, 'drain');
    }
  }
}

/**
 * `call <connectionId> <METHOD> </path>`: an operator's call to a connection's provider API
 * through tokenlane's proxy (docs/proxy.md), with the same checks, token handling, 401 retry
 * and rate budget as the route. The provider's body goes to stdout as it streams; its status
 * and the connection's status go to stderr; a status of 400 or more exits 1.
 */
export function registerCall(program: Command, open: OpenSession): void {
  program
    .command('call')
    .description(
      "call a connection's provider API through tokenlane (body to stdout, status to stderr)",
    )
    .argument('<connectionId>')
    .argument('<method>', METHODS.join(', '))
    .argument('<path>', 'under the provider’s API, as it documents it (/v3/users/self/egvs)')
    .option('--query <name=value>', 'a query parameter (repeatable)', repeat, [])
    .option('--header <name:value>', 'a request header (repeatable)', repeat, [])
    .option('--data <@file|->', 'the request body: @file, or - for standard input')
    .option(
      '--timeout <ms>',
      'wait at most this long for the provider',
      integerIn(1, 120_000),
      30_000,
    )
    .action(
      async (id: string, verb: string, path: string, options: CallOptions, command: Command) => {
        const session = open(command);
        const method = verb.toUpperCase();
        if (!(METHODS as readonly string[]).includes(method)) {
          throw usageError(`method must be one of ${METHODS.join(', ')}`);
        }
        if (!isUuid(id)) throw usageError(`${id} is not a connection id`);
        if (!path.startsWith('/'))
          throw usageError('the path starts with / (under the provider’s API)');
        const target = queryOf(path, options.query);
        const headers = headersOf(options.header);
        const body = bodyOf(options.data, session.io);
        const { LifecycleError, proxyCall } = await import('@tokenlane/lifecycle');
        const status = await session.withRuntime((runtime) =>
          untilInterrupted(session, async (signal) => {
            const answer = await proxyCall(runtime, {
              connectionId: namedConnectionId(id),
              method,
              rawPath: target.path.slice(1),
              rawQuery: target.query,
              headers,
              body,
              minValiditySeconds: 30,
              timeoutMs: options.timeout,
              mayRelink: false,
              signal,
            }).catch((error: unknown) => {
              if (!(error instanceof LifecycleError)) throw error;
              if (error.code === 'connection_not_found')
                throw notFoundError(`connection ${id} not found`);
              throw new CliError(`${error.code}: ${error.message}`, EXIT_CODES.failure);
            });
            const { statusCode, body: answerBody } = answer.response;
            session.io.stderr.write(
              `${String(statusCode)}\ntokenlane-connection-status: ${answer.connectionStatus}\n`,
            );
            await streamTo(session.io.stdout, answerBody);
            return statusCode;
          }),
        );
        if (status >= 400) throw new CliError(`the provider answered ${String(status)}`);
      },
    );
}
