// Typings for the oidc-provider internal that `oidc-peer-storage.ts` adjusts.

declare module 'oidc-provider/lib/helpers/lru.js' {
  /** The bounded store behind oidc-provider's development adapter (one per provider). */
  export default class LRU {
    constructor(options: { maxSize: number });
    get(key: string): unknown;
    set(key: string, value: unknown, options?: { maxAge?: number }): this;
    has(key: string): boolean;
    delete(key: string): boolean;
    clear(): void;
    readonly size: number;
  }
}
