import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import pg from 'pg';
import { Pool } from 'undici';

/** What the sum-of-parts worker needs: where Redis, Postgres and the token endpoint are. */
export interface PartsTarget {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly databaseUrl: string;
  readonly tokenUrl: string;
  /** Connection rows to update, one per job, in turn. */
  readonly ids: readonly string[];
}

/**
 * The fair bound for a refresh (issue 25): a bare BullMQ worker whose job does what a
 * refresh cannot avoid, and nothing else: one undici `refresh_token` grant against the same
 * endpoint, its JSON answer parsed, and one UPDATE of the row, batched across the jobs of a
 * tick as tokenlane batches its writes. No schema, no crypto, no events, no metrics.
 */
export async function startSumOfParts(
  target: PartsTarget,
  name: string,
  concurrency: number,
): Promise<{ queue: Queue; worker: Worker; close: () => Promise<void> }> {
  const endpoint = new URL(target.tokenUrl);
  const http = new Pool(endpoint.origin, { connections: concurrency });
  const db = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
  const write = batchedUpdate(db);
  const { connection, prefix } = target;
  const queue = new Queue(name, { connection, prefix });
  const worker = new Worker(
    name,
    async (job) => {
      const { id } = job.data as { id: string };
      const response = await http.request({
        method: 'POST',
        path: endpoint.pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&refresh_token=parts-${id}`,
      });
      const answer = (await response.body.json()) as { refresh_token: string };
      await write(id, answer.refresh_token);
    },
    { connection, prefix, concurrency },
  );
  await worker.waitUntilReady();
  return {
    queue,
    worker,
    close: async () => {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await http.close();
      await db.end();
    },
  };
}

/** One UPDATE per tick for every write asked for in it (setImmediate, as tokenlane's batches). */
function batchedUpdate(db: pg.Pool): (id: string, token: string) => Promise<void> {
  let pending: { id: string; token: string; done: (error?: Error) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    db.query(
      `update connections c set refresh_token_enc = v.token, updated_at = now()
       from unnest($1::uuid[], $2::text[]) as v(id, token) where c.id = v.id`,
      [batch.map((w) => w.id), batch.map((w) => w.token)],
    ).then(
      () => {
        for (const w of batch) w.done();
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const w of batch) w.done(failure);
      },
    );
  };
  return (id, token) =>
    new Promise<void>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({
        id,
        token,
        done: (error) => {
          if (error === undefined) resolve();
          else reject(error);
        },
      });
    });
}
