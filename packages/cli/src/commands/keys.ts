import type { DbExecutor } from '@tokenlane/db';
import type { KeyRing } from '@tokenlane/vault';
import type { Command } from 'commander';
import { CliError, usageError } from '../errors.js';
import { renderTable } from '../output.js';
import { createProgress } from '../progress.js';
import type { RotationSummary } from '../rotation/rotate-keys.js';
import type { CliSession } from '../session.js';
import { integerIn, untilInterrupted, type OpenSession } from './shared.js';

interface RotateOptions {
  readonly batchSize: number;
  readonly pauseMs: number;
}

/** `keys status` and `keys rotate`: moving every stored token to the newest key. */
export function registerKeys(program: Command, open: OpenSession): void {
  const keys = program
    .command('keys')
    .description('encryption keys (TOKENLANE_ENCRYPTION_KEYS, newest first)');

  keys
    .command('status')
    .description('ciphertexts per key id, and how many connections still need rotating')
    .action(async (_options: unknown, command: Command) => {
      const session = open(command);
      const ring = session.config().encryptionKeys;
      const { countCiphertextsByKid, countRowsNotUnderKey } =
        await import('../rotation/key-queries.js');
      const status = await session.withDatabase(async (db) => ({
        primaryKid: ring?.primaryKid ?? null,
        configuredKids: ring?.kids ?? [],
        kids: (await countCiphertextsByKid(db.db)).map((entry) => ({
          ...entry,
          configured: ring?.kids.includes(entry.kid) ?? false,
          primary: entry.kid === ring?.primaryKid,
        })),
        connectionsToRotate:
          ring === undefined ? null : await countRowsNotUnderKey(db.db, ring.primaryKid),
      }));
      session.print(status, () => {
        const table = renderTable(
          ['kid', 'ciphertexts', 'configured', 'primary'],
          status.kids.map((k) => [k.kid, String(k.ciphertexts), yes(k.configured), yes(k.primary)]),
        );
        const todo =
          status.connectionsToRotate === null
            ? 'TOKENLANE_ENCRYPTION_KEYS is unset: no primary key to compare against\n'
            : `${status.connectionsToRotate} connection(s) not under the primary key "${status.primaryKid ?? ''}"\n`;
        return `${status.kids.length === 0 ? 'no ciphertexts stored\n' : table}${todo}`;
      });
    });

  keys
    .command('rotate')
    .description('re-encrypt every token under the first key; resumable, safe while running')
    .option('--batch-size <n>', 'connections per transaction, 1-10000', integerIn(1, 10_000), 200)
    .option(
      '--pause-ms <ms>',
      'sleep between batches, to spare a busy database',
      integerIn(0, 60_000),
      0,
    )
    .action(async (options: RotateOptions, command: Command) => {
      const session = open(command);
      const ring = session.config().encryptionKeys;
      if (ring === undefined) {
        throw usageError(
          'TOKENLANE_ENCRYPTION_KEYS must be set, the new key first: "new:<base64>,old:<base64>"',
        );
      }
      const summary = await session.withDatabase((db) =>
        untilInterrupted(session, (signal) => rotate(session, ring, options, db.db, signal)),
      );
      session.print(summary, () => renderSummary(summary));
      if (summary.interrupted) {
        throw new CliError('interrupted: run `tokenlane keys rotate` again to finish the job');
      }
      if (summary.remaining > 0) {
        throw new CliError(
          `${summary.remaining} connection(s) still hold ciphertexts under other keys than "${summary.primaryKid}"` +
            (summary.failed.length > 0
              ? ' (see the failures above)'
              : ': are all services running with the new key first? Run it again.'),
        );
      }
    });
}

async function rotate(
  session: CliSession,
  ring: KeyRing,
  options: RotateOptions,
  db: DbExecutor,
  signal: AbortSignal,
): Promise<RotationSummary> {
  const progress = createProgress(session.io.stderr, {
    enabled: !session.json,
    label: `re-encrypting under "${ring.primaryKid}"`,
  });
  const { rotateKeys } = await import('../rotation/rotate-keys.js');
  try {
    return await rotateKeys({
      db,
      keyRing: ring,
      batchSize: options.batchSize,
      pauseMs: options.pauseMs,
      signal,
      onProgress: (done, total) => {
        progress.update(done, total);
      },
    });
  } finally {
    progress.finish();
  }
}

function renderSummary(s: RotationSummary): string {
  const lines = [
    s.total === 0
      ? `every connection is already under key "${s.primaryKid}"`
      : `re-encrypted ${s.rotated} connection(s), ${s.ciphertexts} ciphertext(s), under key "${s.primaryKid}"`,
  ];
  if (s.lostRaces > 0) lines.push(`${s.lostRaces} write(s) lost to a concurrent refresh, re-read`);
  for (const failure of s.failed) lines.push(`failed: ${failure.connectionId} (${failure.code})`);
  if (s.total > 0 && s.remaining === 0)
    lines.push(`done: every connection is under "${s.primaryKid}"`);
  const links = s.linkSessions;
  if (links.rotated > 0) lines.push(`re-encrypted ${links.rotated} link session(s)`);
  if (links.failed > 0) {
    lines.push(`${links.failed} link session(s) no configured key opens: left to expire`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

const yes = (value: boolean) => (value ? 'yes' : 'no');
