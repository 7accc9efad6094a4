import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { renderTable } from './output.js';
import { memoryIo } from './test-support/memory-io.js';

describe('runCli exit codes', () => {
  it('prints help with exit 0', async () => {
    const { io, out } = memoryIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('keys');
    expect(out.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage');
  });

  it.each([
    [['bogus']],
    [['connections', 'list', '--limit', '0']],
    [['connections', 'list', '--status', 'sleepy']],
    [['events', 'tail', '--after', '-1']],
    [['refresh']],
    [[]],
  ])('is a usage error (2): %j', async (argv) => {
    const { io } = memoryIo();
    expect(await runCli(argv, io)).toBe(2);
  });

  it('rejects an unknown queue before touching anything', async () => {
    const { io, out } = memoryIo();
    expect(await runCli(['queues', 'retry-failed', 'nope'], io)).toBe(2);
    expect(out.stderr).toMatch(/^tokenlane: unknown queue "nope"; one of: exchange, refresh, /);
  });

  it('turns a bad environment into its one-line error and exit 2', async () => {
    const { io, out } = memoryIo({ PORT: 'abc' });
    expect(await runCli(['connections', 'list'], io)).toBe(2);
    expect(out.stderr).toBe(
      'Invalid environment: PORT must be an integer from 1 to 65535 (got "abc")\n',
    );
  });

  it('needs the database and Redis URLs the services use', async () => {
    const { io, out } = memoryIo();
    expect(await runCli(['connections', 'show', 'x'], io)).toBe(2);
    expect(out.stderr).toMatch(/^tokenlane: DATABASE_URL must be set/);
  });

  it('needs the encryption keys, new one first, to rotate', async () => {
    const { io, out } = memoryIo({ DATABASE_URL: 'postgres://127.0.0.1:9/none' });
    expect(await runCli(['keys', 'rotate'], io)).toBe(2);
    expect(out.stderr).toMatch(/TOKENLANE_ENCRYPTION_KEYS must be set, the new key first/);
  });

  it('reports an unreachable database as a failure (1), on one line', async () => {
    const { io, out } = memoryIo({ DATABASE_URL: 'postgres://127.0.0.1:9/none' });
    expect(await runCli(['migrate'], io)).toBe(1);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('renderTable', () => {
  it('aligns columns under capitalised headers', () => {
    expect(
      renderTable(
        ['id', 'status'],
        [
          ['a', 'active'],
          ['bbbb', '-'],
        ],
      ),
    ).toBe('ID    STATUS\na     active\nbbbb  -\n');
  });
});
