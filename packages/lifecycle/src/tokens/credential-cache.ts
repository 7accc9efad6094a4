import type { ConnectionId } from '@tokenlane/core';
import type { Connection, Database } from '@tokenlane/db';
import type { Kysely } from 'kysely';
import type { UsableToken } from './usable-token.js';

/**
 * How long a proxied call may trust a connection read by an earlier one. It bounds what
 * another replica's revocation (or re-auth, or refresh) can miss: a call at most this long
 * after it may still go out with the old token (docs/proxy.md, "The credential cache").
 */
export const PROXY_CACHE_MS = 1_000;
/** Connections kept per process; the oldest goes first. */
export const PROXY_CACHE_ENTRIES = 10_000;

/** A connection as a proxied call read it, and its access credential, decrypted once. */
export interface CachedCredential {
  readonly connection: Connection;
  readonly token: UsableToken;
}

interface Entry extends CachedCredential {
  /** Served until then (ms since the epoch), never later. */
  readonly until: number;
}

/**
 * The proxy's in-process cache of decrypted access credentials, per database (per process):
 * a hot connection costs one Postgres read and one decryption a second instead of one of
 * each per call. Only `active` connections are kept, for at most {@link PROXY_CACHE_MS} and
 * never past the token's expiry; a hit is served only while the token stays valid for the
 * caller's `Tokenlane-Min-Validity`. This process's own refreshes, re-auths and revocations
 * drop the entry at once ({@link forgetProxyCredential}).
 */
export interface ProxyCredentialCache {
  get(id: ConnectionId, minValiditySeconds: number, now?: number): CachedCredential | undefined;
  /**
   * Keeps a credential whose read began at `generation` (taken before the read); refused when
   * this process dropped any entry since, so a read racing a local revocation is not kept.
   */
  put(credential: CachedCredential, generation: number, now?: number): void;
  /** Counts the entries dropped so far; read it before reading a connection to put. */
  readonly generation: number;
  forget(id: ConnectionId): void;
  readonly size: number;
}

const caches = new WeakMap<Kysely<Database>, ProxyCredentialCache>();

/** The cache of one database's connections (one per process), created on first use. */
export function proxyCredentialCache(db: Kysely<Database>): ProxyCredentialCache {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = createCache();
    caches.set(db, cache);
  }
  return cache;
}

/** Drops a connection's cached credential: its row just changed in this process. */
export function forgetProxyCredential(db: Kysely<Database>, id: ConnectionId): void {
  caches.get(db)?.forget(id);
}

function expiryOf(credential: CachedCredential): number {
  const { token } = credential;
  return token.kind === 'oauth2' && token.expiresAt !== null
    ? token.expiresAt.getTime()
    : Number.POSITIVE_INFINITY;
}

function createCache(): ProxyCredentialCache {
  const entries = new Map<ConnectionId, Entry>();
  let forgotten = 0;
  return {
    get(id, minValiditySeconds, now = Date.now()) {
      const entry = entries.get(id);
      if (entry === undefined) return undefined;
      if (now >= entry.until) {
        entries.delete(id);
        return undefined;
      }
      // Stricter than the token API's margin (no cap at half the lifetime): a token close to
      // its end always takes the full path, which refreshes it first.
      if (expiryOf(entry) - now <= minValiditySeconds * 1000) return undefined;
      return entry;
    },
    put(credential, generation, now = Date.now()) {
      const { connection, token } = credential;
      if (generation !== forgotten) return;
      if (connection.status !== 'active' || token.tokenVersion !== connection.tokenVersion) {
        entries.delete(connection.id);
        return;
      }
      const until = Math.min(now + PROXY_CACHE_MS, expiryOf(credential));
      if (until <= now) return;
      entries.delete(connection.id);
      if (entries.size >= PROXY_CACHE_ENTRIES) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(connection.id, { connection, token, until });
    },
    forget(id) {
      forgotten += 1;
      entries.delete(id);
    },
    get size() {
      return entries.size;
    },
    get generation() {
      return forgotten;
    },
  };
}
