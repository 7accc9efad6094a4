import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import { KeyRing } from './key-ring.js';
import { Secret } from './secret.js';

const value = 'refresh-token-value-1234';

describe('Secret', () => {
  it('shows [redacted] through String, JSON and inspect, and reveals on request', () => {
    const secret = new Secret(value);
    const shown = [String(secret), JSON.stringify({ secret }), inspect({ secret })].join('\n');
    expect(shown).not.toContain(value);
    expect(shown).toContain('[redacted]');
    expect(secret.reveal()).toBe(value);
    expect(secret.equals(new Secret(value))).toBe(true);
    expect(secret.equals(new Secret(`${value}x`))).toBe(false);
  });

  it('is accepted by KeyRing.encrypt', () => {
    const ring = KeyRing.parse(KeyRing.generateSpec('s'));
    const ctx = { table: 'connections', rowId: 'r1', field: 'refresh_token' };
    expect(ring.decrypt(ring.encrypt(new Secret(value), ctx), ctx)).toBe(value);
  });
});
