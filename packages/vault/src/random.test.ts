import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { generateState, hashState, randomToken } from './random.js';

describe('generateState', () => {
  it('returns 256 bits as 43 base64url characters and its SHA-256 hex hash', () => {
    const { state, stateHash } = generateState();
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    expect(stateHash).toBe(createHash('sha256').update(state).digest('hex'));
    expect(hashState(state)).toBe(stateHash);
  });

  it('never repeats across 1000 draws', () => {
    const states = new Set(Array.from({ length: 1000 }, () => generateState().state));
    expect(states.size).toBe(1000);
  });
});

describe('randomToken', () => {
  it('defaults to 32 bytes of base64url and honors a larger size', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(randomToken(48), 'base64url')).toHaveLength(48);
    expect(randomToken()).not.toBe(randomToken());
  });

  it('refuses sizes below 128 bits', () => {
    expect(() => randomToken(8)).toThrow(RangeError);
    expect(() => randomToken(16.5)).toThrow(RangeError);
  });
});
