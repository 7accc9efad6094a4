import LRU from 'oidc-provider/lib/helpers/lru.js';

interface Entry {
  readonly value: unknown;
  readonly expiry: number | undefined;
}

const stores = new WeakMap<LRU, Map<string, Entry>>();

function storeOf(lru: LRU): Map<string, Entry> {
  let store = stores.get(lru);
  if (store === undefined) {
    store = new Map();
    stores.set(lru, store);
  }
  return store;
}

function live(lru: LRU, key: string): Entry | undefined {
  const entry = storeOf(lru).get(key);
  if (entry?.expiry !== undefined && entry.expiry <= Date.now()) {
    storeOf(lru).delete(key);
    return undefined;
  }
  return entry;
}

/**
 * Lifts the 1 000-entry cap of oidc-provider's development store, for this test process.
 *
 * Each peer keeps its sessions, codes, grants and tokens in an LRU of 1 000 entries (no option
 * changes it), and a link leaves about seven; past ~150 connections the peer forgets the oldest
 * refresh tokens and answers `invalid_grant`, which would pass for lost connections. The same
 * store, unbounded, with entry expiry kept. Call before the peer stores anything.
 */
export function unboundPeerStorage(): void {
  Object.defineProperties(LRU.prototype, {
    get: {
      value(this: LRU, key: string) {
        return live(this, key)?.value;
      },
    },
    set: {
      value(this: LRU, key: string, value: unknown, { maxAge }: { maxAge?: number } = {}) {
        const expiry =
          typeof maxAge === 'number' && maxAge !== Number.POSITIVE_INFINITY
            ? Date.now() + maxAge
            : undefined;
        storeOf(this).set(key, { value, expiry });
        return this;
      },
    },
    has: {
      value(this: LRU, key: string) {
        return live(this, key) !== undefined;
      },
    },
    delete: {
      value(this: LRU, key: string) {
        return storeOf(this).delete(key);
      },
    },
    clear: {
      value(this: LRU) {
        storeOf(this).clear();
      },
    },
    size: {
      get(this: LRU) {
        return storeOf(this).size;
      },
    },
  });
}
