import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxyStack, type ProxyStack } from '../proxy/support.js';
import { runCli, runInProcess } from './tokenlane-cli.js';

// `tokenlane call` against the real stack: the oidc peer's tokens, the resource peer counting
// what reaches it, the stack's own Postgres and Redis (the CLI opens them as a worker does).
let ps: ProxyStack;
let id: string;
let dir: string;

beforeAll(async () => {
  ps = await startProxyStack({ clientId: 'cli-call' });
  id = await ps.oidc.link('cli-call-user');
  dir = await mkdtemp(join(tmpdir(), 'tokenlane-call-'));
}, 90_000);

afterAll(async () => {
  await ps.close();
  await rm(dir, { recursive: true, force: true });
});

describe('tokenlane call', () => {
  it('streams the answer to stdout, the status to stderr; query, headers and a file body go on', async () => {
    const body = join(dir, 'body.json');
    await writeFile(body, '{"note":"from a file"}');
    ps.api.clear();
    const args = ['call', id, 'post', '/echo/a?x=1', '--query', 'start_date=2026-12-01'];
    const headers = ['--header', 'content-type: application/json', '--header', 'x-trace:7'];
    const result = await runCli([...args, ...headers, '--data', `@${body}`], ps.oidc.stack.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('200\ntokenlane-connection-status: active\n');
    const echoed = JSON.parse(result.stdout) as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echoed).toMatchObject({
      method: 'POST',
      url: '/api/echo/a?x=1&start_date=2026-12-01',
      body: '{"note":"from a file"}',
    });
    expect(echoed.headers['x-trace']).toBe('7');
    expect(echoed.headers['authorization']).toMatch(/^Bearer /);
    // The token went to the provider (this peer echoes it back); tokenlane printed none.
    expect(result.stderr).not.toContain(echoed.headers['authorization']!.slice('Bearer '.length));
    expect(ps.api.requests()).toHaveLength(1);
  });

  it('exits 1 on a provider status of 400 or more, with its body still on stdout', async () => {
    ps.api.clear();
    const result = await runInProcess(['call', id, 'GET', '/status/503'], ps.oidc.stack.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('503\ntokenlane-connection-status: active\n');
    expect(JSON.parse(result.stdout)).toEqual({ status: 503 });
    expect(ps.api.requests()).toHaveLength(1);
  });

  it('refuses bad input before anything is sent: 2 for usage, 3 for an unknown connection', async () => {
    ps.api.clear();
    const env = ps.oidc.stack.env;
    const missing = '00000000-0000-4000-8000-000000000000';
    const cases: [string[], number][] = [
      [['call', id, 'TRACE', '/echo/x'], 2],
      [['call', 'not-an-id', 'GET', '/echo/x'], 2],
      [['call', id, 'GET', 'echo/x'], 2],
      [['call', id, 'GET', '/echo/x', '--header', 'no colon'], 2],
      [['call', id, 'GET', '/echo/x', '--data', 'inline'], 2],
      [['call', missing, 'GET', '/echo/x'], 3],
      // The proxy's own path checks apply: nothing leaves the provider's API.
      [['call', id, 'GET', '/%2e%2e/admin'], 1],
    ];
    for (const [args, code] of cases) {
      const result = await runInProcess(args, env);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stdout, args.join(' ')).toBe('');
    }
    expect(ps.api.requests()).toHaveLength(0);
  });
});
