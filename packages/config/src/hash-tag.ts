/**
 * The hash tag Redis Cluster hashes `key` by: the text between the first `{` and the first
 * `}` after it, when that text is not empty; undefined when the key has none (then the
 * whole key is hashed). Keys that share a hash tag share a slot, which is what lets one
 * BullMQ script touch every key of a queue on a cluster.
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open === -1) return undefined;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}
