import { setTimeout as sleep } from 'node:timers/promises';
import type { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver.js';

/** OTLP span kinds. */
export const SERVER = 2;
export const CLIENT = 3;
export const PRODUCER = 4;
export const CONSUMER = 5;

/** The spans of one trace, once `ready` holds for them (exports arrive in batches). */
export async function traceWhen(
  receiver: OtlpReceiver,
  traceId: () => string | undefined,
  ready: (spans: ReceivedSpan[]) => boolean,
): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const id = traceId();
    const spans = receiver.spans.filter((span) => span.traceId === id);
    if (id !== undefined && ready(spans)) return spans;
    if (Date.now() > deadline) {
      const names = receiver.spans.map((span) => `${span.traceId.slice(0, 6)} ${span.name}`);
      throw new Error(`trace incomplete after 15 s; received:\n${names.join('\n')}`);
    }
    await sleep(100);
  }
}

/** The spans above `span` in `trace`, nearest first. */
export function ancestorsOf(span: ReceivedSpan, trace: readonly ReceivedSpan[]): ReceivedSpan[] {
  const parent = trace.find((candidate) => candidate.spanId === span.parentSpanId);
  return parent === undefined ? [] : [parent, ...ancestorsOf(parent, trace)];
}

/** The statement a pg span ran ('' for other spans). */
export function statementOf(span: ReceivedSpan): string {
  const text = span.attributes['db.query.text'];
  return typeof text === 'string' ? text : '';
}

export function has(
  spans: readonly ReceivedSpan[],
  kind: number,
  test: (span: ReceivedSpan) => boolean,
): boolean {
  return spans.some((span) => span.kind === kind && test(span));
}

/** The BullMQ spans of `queue`, told by their messaging attributes. */
export const isQueue = (queue: string) => (span: ReceivedSpan) =>
  span.attributes['messaging.system'] === 'bullmq' &&
  span.attributes['messaging.destination.name'] === queue;

/**
 * Every attribute value of every span that holds one of `secrets` or looks like a query
 * string (`?name=` or `&name=`), as `span name: value`.
 */
export function leaks(spans: readonly ReceivedSpan[], secrets: Iterable<string>): string[] {
  const known = [...secrets];
  return spans.flatMap((span) =>
    span.values
      .filter(
        (value) => known.some((secret) => value.includes(secret)) || /[?&][\w-]+=/.test(value),
      )
      .map((value) => `${span.name}: ${value}`),
  );
}
