import type { ConnectionId, ConnectionStatus } from '@tokenlane/core';
import type { Connection, Database } from '@tokenlane/db';
import { Secret } from '@tokenlane/vault';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  forgetProxyCredential,
  PROXY_CACHE_ENTRIES,
  PROXY_CACHE_MS,
  proxyCredentialCache,
  type CachedCredential,
} from './credential-cache.js';

const NOW = 1_800_000_000_000;
/** A distinct key per test: the cache is per database handle, which it only uses as a key. */
const db = () =>
  new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });

function credential(
  id: string,
  options: { status?: ConnectionStatus; version?: number; expiresAt?: number | null } = {},
): CachedCredential {
  const version = options.version ?? 1;
  const expiresAt =
    options.expiresAt === null ? null : new Date(options.expiresAt ?? NOW + 3_600_000);
  return {
    connection: {
      id: id as ConnectionId,
      status: options.status ?? 'active',
      tokenVersion: version,
    } as Connection,
    token: {
      kind: 'oauth2',
      accessToken: new Secret(`token-${id}-${String(version)}`),
      tokenType: 'Bearer',
      expiresAt,
      tokenVersion: version,
    },
  };
}

const id = (text: string) => text as ConnectionId;

describe('proxyCredentialCache', () => {
  it('serves an active connection for PROXY_CACHE_MS, then not', () => {
    const cache = proxyCredentialCache(db());
    cache.put(credential('a'), cache.generation, NOW);
    expect(cache.get(id('a'), 30, NOW + PROXY_CACHE_MS - 1)?.connection.id).toBe('a');
    expect(cache.get(id('a'), 30, NOW + PROXY_CACHE_MS)).toBeUndefined();
  });

  it('keeps no connection that is not active', () => {
    const cache = proxyCredentialCache(db());
    for (const status of ['degraded', 'reauth_required', 'revoked'] as const) {
      cache.put(credential(status, { status }), cache.generation, NOW);
      expect(cache.get(id(status), 0, NOW)).toBeUndefined();
    }
    // An active entry replaced by a read of the same connection revoked is dropped.
    cache.put(credential('b'), cache.generation, NOW);
    cache.put(credential('b', { status: 'revoked' }), cache.generation, NOW);
    expect(cache.get(id('b'), 0, NOW)).toBeUndefined();
  });

  it('never serves a token that would not stay valid for the min-validity', () => {
    const cache = proxyCredentialCache(db());
    cache.put(credential('c', { expiresAt: NOW + 20_000 }), cache.generation, NOW);
    expect(cache.get(id('c'), 30, NOW)).toBeUndefined();
    expect(cache.get(id('c'), 10, NOW)).toBeDefined();
    // Never past the token's own expiry, whatever PROXY_CACHE_MS says.
    cache.put(credential('d', { expiresAt: NOW + 100 }), cache.generation, NOW);
    expect(cache.get(id('d'), 0, NOW + 100)).toBeUndefined();
  });

  it('a refreshed token replaces the cached one', () => {
    const cache = proxyCredentialCache(db());
    cache.put(credential('e', { version: 1 }), cache.generation, NOW);
    cache.put(credential('e', { version: 2 }), cache.generation, NOW);
    expect(cache.get(id('e'), 0, NOW)?.token.tokenVersion).toBe(2);
    // A token the row does not hold (a refresh's, before the row was read again) is not kept.
    const mixed = credential('f', { version: 1 });
    cache.put({ ...mixed, token: credential('f', { version: 2 }).token }, cache.generation, NOW);
    expect(cache.get(id('f'), 0, NOW)).toBeUndefined();
  });

  it('drops an entry this process changed, and refuses a read that raced the change', () => {
    const handle = db();
    const cache = proxyCredentialCache(handle);
    cache.put(credential('g'), cache.generation, NOW);
    const readBegan = cache.generation;
    forgetProxyCredential(handle, id('g'));
    expect(cache.get(id('g'), 0, NOW)).toBeUndefined();
    // Read before the revocation committed, kept after it: refused.
    cache.put(credential('g'), readBegan, NOW);
    expect(cache.get(id('g'), 0, NOW)).toBeUndefined();
    cache.put(credential('g'), cache.generation, NOW);
    expect(cache.get(id('g'), 0, NOW)).toBeDefined();
  });

  it('holds at most PROXY_CACHE_ENTRIES, the oldest going first', () => {
    const cache = proxyCredentialCache(db());
    for (let i = 0; i <= PROXY_CACHE_ENTRIES; i += 1) {
      cache.put(credential(`n${String(i)}`), cache.generation, NOW);
    }
    expect(cache.size).toBe(PROXY_CACHE_ENTRIES);
    expect(cache.get(id('n0'), 0, NOW)).toBeUndefined();
    expect(cache.get(id(`n${String(PROXY_CACHE_ENTRIES)}`), 0, NOW)).toBeDefined();
  });
});
