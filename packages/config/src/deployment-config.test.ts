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

describe('TOKENLANE_WEBHOOK_SECRET', () => {
  const url = 'https://backend.example/hooks';
  const withSecret = (secret: string) => ({
    TOKENLANE_WEBHOOK_URL: url,
    TOKENLANE_WEBHOOK_SECRET: secret,
  });

  it('takes 32+ characters, or whsec_ with 24+ decoded bytes', () => {
    expect(loadConfig(withSecret('x'.repeat(32))).webhook?.secret).toBe('x'.repeat(32));
    const standard = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    expect(loadConfig(withSecret(standard)).webhook?.secret).toBe(standard);
  });

  it.each([
    ['x'.repeat(31), 'must be at least 32 characters long'],
    [`whsec_${Buffer.alloc(23, 7).toString('base64')}`, 'must decode to at least 24 bytes'],
    ['whsec_short', 'must be at least 32 characters long'],
  ])('refuses a weak secret in one line, never echoing it', (secret, problem) => {
    const found = lines(withSecret(secret));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`Invalid environment: TOKENLANE_WEBHOOK_SECRET ${problem}`);
    expect(found[0]).not.toContain(secret);
  });
});

describe('TOKENLANE_API_KEYS names', () => {
  const key = (n: number) => `k${String(n)}-0123456789abcdef`;

  it.each([
    [`ci:tokens:read:${key(1)},ci:events:read:${key(2)}`, 'entry 2 repeats the name "ci"'],
    [`${key(1)},key-1:tokens:read:${key(2)}`, 'entry 2 (key "key-1") uses a reserved name'],
    [`key-7:admin:${key(3)}`, 'entry 1 (key "key-7") uses a reserved name'],
  ])('stop the boot in one line when repeated or reserved', (value, problem) => {
    const found = lines({ TOKENLANE_API_KEYS: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`Invalid environment: TOKENLANE_API_KEYS ${problem}`);
    expect(found[0]).not.toContain('0123456789abcdef');
  });

  it('distinct names, and bare keys beside them, are fine', () => {
    expect(
      loadConfig({ TOKENLANE_API_KEYS: `${key(1)},ci:tokens:read:${key(2)},${key(3)}` }).apiKeys,
    ).toHaveLength(3);
  });
});
