/**
 * Redis keys tokenlane writes outside BullMQ, all under the queue prefix: on Redis Cluster a
 * hash-tagged prefix (`{tokenlane}`) keeps them in the queues' slot. Counters and timestamps
 * only: never an id of a user, never a secret.
 */
export const providerKeys = {
  /** The provider's breaker (a hash, present only while open). */
  breaker: (prefix: string, provider: string) => `${prefix}:breaker:${provider}`,
  /** Held by the one refresh probing an open breaker. */
  probe: (prefix: string, provider: string) => `${prefix}:breaker:${provider}:probe`,
  /** Outcomes of the provider's calls in one health window (a hash: ok, fail). */
  healthWindow: (prefix: string, provider: string, window: number) =>
    `${prefix}:health:${provider}:${window}`,
};
