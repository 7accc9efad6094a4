import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { trustProxyOption } from './trust-proxy.js';

async function ipOf(setting: number | string[] | undefined, forwardedFor: string) {
  const app = Fastify({ trustProxy: trustProxyOption(setting) });
  app.get('/', (request) => ({ ip: request.ip }));
  const answer = await app.inject({ url: '/', headers: { 'x-forwarded-for': forwardedFor } });
  await app.close();
  return answer.json<{ ip: string }>().ip;
}

describe('trustProxyOption', () => {
  it('unset: the socket address, whatever the client claims', async () => {
    expect(await ipOf(undefined, '203.0.113.1')).toBe('127.0.0.1');
  });

  it('a hop count believes that many hops from the socket, no further', async () => {
    expect(await ipOf(1, '10.0.0.1, 203.0.113.1')).toBe('203.0.113.1');
    expect(await ipOf(2, '10.0.0.1, 203.0.113.1')).toBe('10.0.0.1');
  });

  it('CIDR blocks believe only a listed proxy', async () => {
    expect(await ipOf(['127.0.0.0/8'], '203.0.113.1')).toBe('203.0.113.1');
    expect(await ipOf(['10.0.0.0/8'], '203.0.113.1')).toBe('127.0.0.1');
  });
});
