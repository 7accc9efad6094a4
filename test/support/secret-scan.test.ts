import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from '@tokenlane/vault';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testRedisUrl, uniquePrefix } from './harness.js';
import { RUN_DIR_ENV, readLedger, recordSecret, type LedgerEntry } from './secret-ledger.js';
import { SecretMatcher, scanRedis } from './secret-scan.js';
import { checkDumpedRows } from './secret-scan-postgres.js';
import { runSecretScan, summarize } from './secret-scan-run.js';

// The scan after the whole run must be able to fail: every planted secret below is found.
// None of them is in the run's own ledger, so what this file leaves behind fails nothing.

const planted = (kind: LedgerEntry['kind'] = 'access_token'): LedgerEntry => ({
  kind,
  value: `planted-${randomBytes(12).toString('base64url')}`,
  source: 'secret-scan.test',
});

let redis: Redis;
let dir: string;

beforeAll(async () => {
  redis = new Redis(testRedisUrl());
  dir = await mkdtemp(join(tmpdir(), 'tokenlane-scan-test-'));
});

afterAll(async () => {
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
});

describe('SecretMatcher', () => {
  it('finds a secret raw, URL-encoded, JSON-escaped and inside base64 at any alignment', () => {
    const secret = { ...planted('client_secret'), value: 'sec/ret+value "quoted" 0123' };
    const matcher = new SecretMatcher([secret]);
    const texts = {
      raw: `{"msg":"x","v":"${secret.value}"}`,
      'url-encoded': `GET /cb?code=${encodeURIComponent(secret.value)}&x=1`,
      'json-escaped': JSON.stringify({ nested: secret.value }),
      base64: `authorization: Basic ${Buffer.from(`client-id:${secret.value}`).toString('base64')}`,
      base64url: `jwt.${Buffer.from(`{"a":"${secret.value}"}`).toString('base64url')}.sig`,
    };
    for (const [form, text] of Object.entries(texts)) {
      const hits = matcher.scan(text, form);
      // A base64url core without `+` or `/` is the base64 core: found once, as `base64`.
      const base = (name: string) => name.replace('base64url', 'base64');
      expect(
        hits.map((hit) => base(hit.form)),
        form,
      ).toContain(base(form));
      expect(hits[0]!.context).not.toContain('sec/ret');
    }
    for (let offset = 0; offset < 3; offset += 1) {
      const blob = Buffer.from(`${'x'.repeat(offset)}${secret.value}tail`).toString('base64');
      expect(matcher.scan(blob, 'blob').length, `offset ${offset}`).toBeGreaterThan(0);
    }
    expect(matcher.scan('nothing secret here, not even sec/ret+valu', 'clean')).toEqual([]);
  });

  it('reports where a hit is and masks the secret, across thousands of secrets', () => {
    const entries = Array.from({ length: 5_000 }, () => planted());
    const target = entries[4_321]!;
    const matcher = new SecretMatcher(entries);
    const text = `${'noise '.repeat(200_000)}token=${target.value} end`;
    const hits = matcher.scan(text, 'big.log');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: 'access_token', form: 'raw', where: 'big.log' });
    expect(text.startsWith(target.value, hits[0]!.offset)).toBe(true);
    expect(hits[0]!.context).toContain('token=<access_token> end');
  });

  it('refuses to search for values too short to mean anything, and says so', () => {
    const matcher = new SecretMatcher([{ ...planted(), value: 'abc' }]);
    expect(matcher.tooShort).toHaveLength(1);
    expect(matcher.secrets).toBe(0);
  });
});

describe('scanRedis', () => {
  it('finds a planted secret in a string, a hash, a list, a set, a sorted set and a stream', async () => {
    const prefix = uniquePrefix('scan');
    const secrets = Array.from({ length: 6 }, () => planted());
    const [a, b, c, d, e, f] = secrets.map((entry) => entry.value) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    await redis.set(`${prefix}:string`, `{"data":{"token":"${a}"}}`);
    await redis.hset(`${prefix}:hash`, 'data', '{}', 'failedReason', `refused ${b}`);
    await redis.rpush(`${prefix}:list`, 'x', c);
    await redis.sadd(`${prefix}:set`, d);
    await redis.zadd(`${prefix}:zset`, 1, e);
    await redis.xadd(`${prefix}:stream`, '*', 'event', 'failed', 'reason', f);
    await redis.set(`${prefix}:clean`, 'nothing here');
    try {
      const scan = await scanRedis(redis, new SecretMatcher(secrets), `${prefix}:*`);
      expect(scan.keys).toBe(7);
      expect(scan.unreadable).toEqual([]);
      expect(scan.hits.map((hit) => hit.where).sort()).toEqual(
        ['hash', 'list', 'set', 'stream', 'string', 'zset'].map(
          (type) => `redis key ${prefix}:${type}`,
        ),
      );
    } finally {
      await redis.del(
        ...['string', 'hash', 'list', 'set', 'zset', 'stream', 'clean'].map(
          (t) => `${prefix}:${t}`,
        ),
      );
    }
  });
});

describe('checkDumpedRows', () => {
  it('flags a plaintext secret in any column and a *_enc value that is not a ciphertext', () => {
    const secret = planted();
    const line = (row: object) => JSON.stringify({ table: 'public.connections', row });
    const check = checkDumpedRows(
      [
        line({ id: '1', access_token_enc: 'v1.e2e1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAA' }),
        line({ id: '2', access_token_enc: secret.value }),
        line({ id: '3', metadata: { note: `x${secret.value}` }, refresh_token_enc: null }),
      ],
      new SecretMatcher([secret]),
      'db',
    );
    expect(check).toMatchObject({
      rows: 3,
      ciphertexts: 2,
      malformed: ['db public.connections.access_token_enc'],
    });
    expect(check.hits.map((hit) => hit.where)).toEqual([
      'db public.connections.access_token_enc',
      'db public.connections.metadata',
    ]);
  });
});

describe('runSecretScan', () => {
  it('reports a planted hit in logs, metrics, a database dump and Redis, and counts what it read', async () => {
    const runDir = join(dir, 'run-hit');
    const secret = planted('refresh_token');
    const prefix = uniquePrefix('scan');
    for (const sub of ['ledger', 'logs', 'metrics', 'db'])
      await mkdir(join(runDir, sub), { recursive: true });
    await writeFile(join(runDir, 'ledger', '1.jsonl'), `${JSON.stringify(secret)}\n`);
    await writeFile(
      join(runDir, 'logs', 'worker.log'),
      `{"level":30}\n{"msg":"refreshed ${secret.value}"}\n`,
    );
    await writeFile(join(runDir, 'metrics', 'worker.prom'), `tokenlane_x{t="${secret.value}"} 1\n`);
    await writeFile(
      join(runDir, 'db', 'e2e.jsonl'),
      `${JSON.stringify({ table: 'public.events', row: { data: { token: secret.value } } })}\n`,
    );
    await redis.set(`${prefix}:job`, secret.value);
    try {
      const report = await runSecretScan({ runDir, redisUrl: testRedisUrl() });
      expect(report.hits.map((hit) => hit.where).sort()).toEqual(
        [
          `${join(runDir, 'db', 'e2e.jsonl')} public.events.data`,
          `${join(runDir, 'logs', 'worker.log')}:2`,
          `${join(runDir, 'metrics', 'worker.prom')}:1`,
          `redis key ${prefix}:job`,
        ].sort(),
      );
      expect(report.logs).toEqual({ files: 1, lines: 2 });
      expect(report.db).toMatchObject({ files: 1, rows: 1 });
      expect(report.redis.keys).toBeGreaterThan(0);
      expect(summarize(report)).toMatch(
        /^secret scan: 1 secrets in ledger \(refresh_token 1\);.* hits=4$/,
      );
    } finally {
      await redis.del(`${prefix}:job`);
    }
  });

  it('opens stored ciphertexts with the run keys and scans for tokens no peer recorded', async () => {
    const runDir = join(dir, 'run-opened');
    for (const sub of ['ledger', 'logs', 'db']) await mkdir(join(runDir, sub), { recursive: true });
    const spec = KeyRing.generateSpec('scan1');
    const key: LedgerEntry = {
      kind: 'encryption_key',
      value: spec.slice(spec.indexOf(':') + 1),
      source: 'secret-scan.test',
    };
    const recorded = planted('access_token');
    const unrecorded = `demo-${randomBytes(16).toString('base64url')}`;
    await writeFile(
      join(runDir, 'ledger', '1.jsonl'),
      `${JSON.stringify(key)}\n${JSON.stringify(recorded)}\n`,
    );
    const ring = KeyRing.parse(spec);
    const seal = (rowId: string, field: string, value: string) =>
      ring.encrypt(value, { table: 'connections', rowId, field });
    await writeFile(
      join(runDir, 'db', 'demo.jsonl'),
      [
        { id: 'c1', access_token_enc: seal('c1', 'access_token', recorded.value) },
        { id: 'c2', refresh_token_enc: seal('c2', 'refresh_token', unrecorded) },
        { id: 'c3', access_token_enc: seal('other-row', 'access_token', 'bound-elsewhere-123') },
      ]
        .map((row) => `${JSON.stringify({ table: 'public.connections', row })}\n`)
        .join(''),
    );
    await writeFile(join(runDir, 'logs', 'standalone.log'), `{"msg":"got ${unrecorded}"}\n`);
    const report = await runSecretScan({ runDir, redisUrl: testRedisUrl() });
    expect(report.db).toMatchObject({ ciphertexts: 3, opened: 2, known: 1, recovered: 1 });
    expect(report.hits).toHaveLength(1);
    expect(report.hits[0]).toMatchObject({
      kind: 'refresh_token',
      source: `${join(runDir, 'db', 'demo.jsonl')} public.connections.refresh_token_enc`,
      where: `${join(runDir, 'logs', 'standalone.log')}:1`,
    });
  });

  it('cannot pass vacuously: an empty ledger while tokenlane ran, or a short one, is a problem', async () => {
    const runDir = join(dir, 'run-empty');
    await mkdir(join(runDir, 'logs'), { recursive: true });
    await writeFile(join(runDir, 'logs', 'ingress.log'), '{"level":30,"msg":"listening"}\n');
    const report = await runSecretScan({
      runDir,
      redisUrl: testRedisUrl(),
      minimums: { access_token: 1 },
    });
    expect(report.hits).toEqual([]);
    expect(report.problems).toEqual([
      'tokenlane ran but the secret ledger is empty: the scan would prove nothing',
      'the ledger holds 0 access_token entries, fewer than the 1 a full run records',
    ]);
  });

  it('accepts an empty ledger when only database unit tests ran (no tokenlane, no peer)', async () => {
    const runDir = join(dir, 'run-db-only');
    await mkdir(join(runDir, 'db'), { recursive: true });
    await writeFile(
      join(runDir, 'db', 'tl_connections.jsonl'),
      `${JSON.stringify({ table: 'public.connections', row: { id: 'c1', access_token_enc: 'v1.k1.iv.fake-ciphertext' } })}\n`,
    );
    const report = await runSecretScan({ runDir, redisUrl: testRedisUrl() });
    expect(report.problems).toEqual([]);
    expect(report.db).toMatchObject({ files: 1, rows: 1, ciphertexts: 1, opened: 0 });
  });
});

describe('recordSecret', () => {
  it('appends one line per distinct secret to this process’s ledger file, read back by readLedger', async () => {
    const runDir = join(dir, 'run-ledger');
    vi.stubEnv(RUN_DIR_ENV, runDir);
    try {
      const secret = planted('pkce_verifier');
      recordSecret(secret.kind, secret.value, secret.source);
      recordSecret(secret.kind, secret.value, secret.source);
      recordSecret('pin', undefined, 'nowhere');
      expect(readLedger(runDir)).toEqual([secret]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
