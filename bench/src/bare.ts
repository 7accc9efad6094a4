import pg from 'pg';
import { Pool } from 'undici';

/** Runs `total` calls of `call` from `concurrency` parallel loops; returns calls per second. */
export async function rate(
  concurrency: number,
  total: number,
  call: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** Bare Postgres: single-row UPDATEs by primary key over a pool as large as the runtime's (10). */
export async function bareUpdates(
  url: string,
  ids: readonly string[],
  concurrency: number,
): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    return await rate(concurrency, ids.length, (i) =>
      pool.query('UPDATE connections SET updated_at = now() WHERE id = $1', [ids[i]]),
    );
  } finally {
    await pool.end();
  }
}

/** Bare provider: refresh_token grants straight at the local token endpoint. */
export async function bareGrants(url: string, total: number, concurrency: number): Promise<number> {
  const pool = new Pool(url, { connections: concurrency });
  try {
    return await rate(concurrency, total, async (i) => {
      const response = await pool.request({
        method: 'POST',
        path: '/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&refresh_token=bare-${i}`,
      });
      return response.body.text();
    });
  } finally {
    await pool.close();
  }
}
