/** Request bodies up to this size are kept, so the one retry after a 401 can send them again. */
export const REPLAYABLE_BODY_BYTES = 1024 * 1024;

/** A request body as the proxy sends it: kept whole (replayable), or streamed once. */
export type ProxyBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'buffered'; readonly bytes: Buffer }
  | { readonly kind: 'stream'; readonly chunks: AsyncIterable<Buffer> };

/**
 * Reads the caller's body up to {@link REPLAYABLE_BODY_BYTES}: a body that ends before is kept
 * whole; a longer one goes on as a stream of what was read and the rest, never held in memory.
 */
export async function prepareBody(source: AsyncIterable<unknown> | undefined): Promise<ProxyBody> {
  if (source === undefined) return { kind: 'none' };
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) {
      return size === 0 ? { kind: 'none' } : { kind: 'buffered', bytes: Buffer.concat(head) };
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(String(next.value));
    head.push(chunk);
    size += chunk.length;
    if (size > REPLAYABLE_BODY_BYTES) break;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value as Buffer;
    }
  }
  return { kind: 'stream', chunks: rest() };
}

/** Whether the body can be sent a second time (no body, or one kept whole). */
export function replayable(body: ProxyBody): boolean {
  return body.kind !== 'stream';
}
