import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface LocalPostgres {
  /** URL of the `postgres` database, as superuser: tests create their own databases from it. */
  readonly url: string;
  /** Fast shutdown and start again on the same data and port (a database restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Finds initdb/postgres: on PATH, or in Debian's /usr/lib/postgresql/<version>/bin (newest first). */
export function postgresBinDir(): string {
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((name) => existsSync(join(debianRoot, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(debianRoot, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries not found: run `npm run setup`, or set DATABASE_URL for the tests',
  );
}

/**
 * Runs a throwaway Postgres cluster (initdb into a temp dir, fsync off) on a loopback port.
 * Postgres refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */
export async function startLocalPostgres(port: number): Promise<LocalPostgres> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'tokenlane-pg-'));
  // Postgres refuses to run as root: as root, run it as the `postgres` user Debian creates.
  const asRoot = process.getuid?.() === 0;
  const command = (binary: string, args: string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, binary), ...args]]
      : [join(bin, binary), args];
  if (asRoot) {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      run('id', ['-u', 'postgres']),
      run('id', ['-g', 'postgres']),
    ]);
    await chown(dir, Number(uid.trim()), Number(gid.trim()));
  }
  const dataDir = join(dir, 'data');
  await run(
    ...command('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]),
  );

  const [postgres, postgresArgs] = command('postgres', [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=300',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const launch = async (): Promise<ChildProcess> => {
    const child = spawn(postgres, postgresArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    const log: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    await waitForPostgres(url, child, log);
    return child;
  };
  const halt = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    // runuser does not forward signals to postgres: ask pg_ctl for a fast shutdown.
    await run(...command('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']));
    await exited;
  };
  let child = await launch();
  return {
    url,
    restart: async () => {
      await halt(child);
      child = await launch();
    },
    stop: async () => {
      await halt(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPostgres(url: string, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${log.join('').slice(-800)}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}
