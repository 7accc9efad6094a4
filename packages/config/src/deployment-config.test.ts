import { describe, expect, it } from 'vitest';

import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

function lines(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

describe('TOKENLANE_TRUST_PROXY', () => {
  it('is unset by default: the socket address is the client', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
  });

  it('takes a hop count or CIDR blocks (a bare address is one host)', () => {
    expect(loadConfig({ TOKENLANE_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(
      loadConfig({ TOKENLANE_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8' }).trustProxy,
    ).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
  });

  it.each([
    ['true', 'is not an IP address or CIDR block'],
    ['*', 'is not an IP address or CIDR block'],
    ['0', 'must be a hop count from 1 to 16'],
    ['99', 'must be a hop count from 1 to 16'],
    ['0.0.0.0/0', 'trusts every address'],
    ['10.0.0.0/8,::/0', 'entry 2 trusts every address'],
    ['10.0.0.0/33', 'has a prefix outside 0-32'],
    ['10.0.0.0/8/8', 'is not an IP address or CIDR block'],
  ])('refuses %j, never trusting every peer, in one line', (value, problem) => {
    const found = lines({ TOKENLANE_TRUST_PROXY: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('Invalid environment: TOKENLANE_TRUST_PROXY');
    expect(found[0]).toContain(problem);
  });
});

describe('TOKENLANE_INTERNAL_PORT', () => {
  it('is unset by default, and a port when set', () => {
    expect(loadConfig({}).internalPort).toBeUndefined();
    expect(loadConfig({ TOKENLANE_INTERNAL_PORT: '9100' }).internalPort).toBe(9100);
  });

  it('must be a port other than PORT, in one line', () => {
    expect(lines({ TOKENLANE_INTERNAL_PORT: 'x' })).toEqual([
      'Invalid environment: TOKENLANE_INTERNAL_PORT must be an integer from 1 to 65535 (got "x")',
    ]);
    expect(lines({ PORT: '9100', TOKENLANE_INTERNAL_PORT: '9100' })).toEqual([
      'Invalid environment: TOKENLANE_INTERNAL_PORT must differ from PORT (the internal listener is a port of its own) (got "9100")',
    ]);
  });
});
