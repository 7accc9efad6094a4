import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionId } from '@tokenlane/core';
import {
  listRowsNotUnderKey,
  reencryptConnection,
  type ConnectionCiphertexts,
  type DbExecutor,
} from '@tokenlane/db';
import type { KeyRing } from '@tokenlane/vault';
import { countRowsNotUnderKey } from './key-queries.js';
import { reencryptRow } from './reencrypt-row.js';
import { rotateLinkSessionKeys, type LinkSessionRotation } from './rotate-link-sessions.js';

export interface RotateKeysOptions {
  readonly db: DbExecutor;
  /** The new key first: everything not under `keyRing.primaryKid` is moved to it. */
  readonly keyRing: KeyRing;
  /** Rows read and written per transaction. */
  readonly batchSize: number;
  /** Sleep between batches, to go easy on a busy primary. */
  readonly pauseMs?: number | undefined;
  /** Passes over the table while rows keep losing their compare-and-set to a refresh. */
  readonly maxPasses?: number | undefined;
  /** Stops after the batch in flight (which commits or rolls back whole). */
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface RotationFailure {
  readonly connectionId: ConnectionId;
  /** The vault error code: `unknown_key` (its key is not configured), `decrypt_failed`, … */
  readonly code: string;
}

export interface RotationSummary {
  readonly primaryKid: string;
  /** Connections not under the primary key when the run started. */
  readonly total: number;
  /** Connections this run rewrote. */
  readonly rotated: number;
  /** Ciphertexts re-encrypted (a connection holds one to three). */
  readonly ciphertexts: number;
  /** Writes skipped because a refresh changed the row meanwhile; such rows are read again. */
  readonly lostRaces: number;
  readonly failed: readonly RotationFailure[];
  /** Connections still not under the primary key at the end (0 when the job is done). */
  readonly remaining: number;
  readonly passes: number;
  readonly interrupted: boolean;
  /** The link sessions' ciphertexts (PKCE verifiers, request-token secrets, codes, link URLs). */
  readonly linkSessions: LinkSessionRotation;
}

const DEFAULT_MAX_PASSES = 5;

/**
 * Re-encrypts every connection ciphertext under the key ring's primary key (docs/architecture.md, rule 2).
 * Resumable by construction: it only ever selects rows not yet under the primary key, so a
 * run that was killed leaves committed batches done and the next run picks up the rest.
 * Writes are compare-and-set on `token_version` without bumping it, so a concurrent refresh
 * always wins; the row it wrote is re-read on the next pass.
 */
export async function rotateKeys(options: RotateKeysOptions): Promise<RotationSummary> {
  const { db, keyRing } = options;
  const kid = keyRing.primaryKid;
  const total = await countRowsNotUnderKey(db, kid);
  const state = {
    rotated: 0,
    ciphertexts: 0,
    lostRaces: 0,
    failed: new Map<ConnectionId, string>(),
  };
  options.onProgress?.(0, total);
  let passes = 0;
  let interrupted = false;
  while (passes < (options.maxPasses ?? DEFAULT_MAX_PASSES)) {
    passes += 1;
    const pass = await runPass(options, state, total);
    interrupted = pass.interrupted;
    if (interrupted || pass.lostRaces === 0) break;
  }
  // Interrupted: no pass runs, only the count of what is left.
  const linkSessions = await rotateLinkSessionKeys(db, keyRing, options.batchSize, options.signal);
  return {
    primaryKid: kid,
    linkSessions,
    total,
    rotated: state.rotated,
    ciphertexts: state.ciphertexts,
    lostRaces: state.lostRaces,
    failed: [...state.failed].map(([connectionId, code]) => ({ connectionId, code })),
    remaining: await countRowsNotUnderKey(db, kid),
    passes,
    interrupted,
  };
}

interface RunState {
  rotated: number;
  ciphertexts: number;
  lostRaces: number;
  readonly failed: Map<ConnectionId, string>;
}

/** One keyset walk over the rows not under the primary key, a transaction per batch. */
async function runPass(
  options: RotateKeysOptions,
  state: RunState,
  total: number,
): Promise<{ lostRaces: number; interrupted: boolean }> {
  const { db, keyRing, batchSize, signal } = options;
  let after: ConnectionId | undefined;
  let lostRaces = 0;
  for (;;) {
    if (signal?.aborted === true) return { lostRaces, interrupted: true };
    const rows = await listRowsNotUnderKey(db, keyRing.primaryKid, { after, limit: batchSize });
    after = rows.at(-1)?.id;
    const batch = await rotateBatch(db, keyRing, rows, state.failed);
    state.rotated += batch.rotated;
    state.ciphertexts += batch.ciphertexts;
    state.lostRaces += batch.lostRaces;
    lostRaces += batch.lostRaces;
    if (rows.length > 0) options.onProgress?.(state.rotated, total);
    if (rows.length < batchSize) return { lostRaces, interrupted: false };
    await pause(options.pauseMs ?? 0, signal);
  }
}

async function rotateBatch(
  db: DbExecutor,
  keyRing: KeyRing,
  rows: readonly ConnectionCiphertexts[],
  failed: Map<ConnectionId, string>,
): Promise<{ rotated: number; ciphertexts: number; lostRaces: number }> {
  // Encrypt before the transaction opens, so it holds its row locks only for the writes.
  const writes = rows.flatMap((row) => {
    if (failed.has(row.id)) return [];
    const result = reencryptRow(keyRing, row);
    if (!result.ok) {
      failed.set(row.id, result.code);
      return [];
    }
    return [{ row, ...result }];
  });
  const outcome = { rotated: 0, ciphertexts: 0, lostRaces: 0 };
  if (writes.length === 0) return outcome;
  await db.transaction().execute(async (trx) => {
    for (const { row, ciphertexts, changed } of writes) {
      if (await reencryptConnection(trx, row.id, row.tokenVersion, ciphertexts)) {
        outcome.rotated += 1;
        outcome.ciphertexts += changed;
      } else {
        outcome.lostRaces += 1;
      }
    }
  });
  return outcome;
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return;
  await sleep(ms, undefined, signal === undefined ? {} : { signal }).catch(() => undefined);
}
