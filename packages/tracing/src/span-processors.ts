import { SpanKind, type Attributes } from '@opentelemetry/api';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { redactAttributes, redactUrl } from './redact.js';

/** Work a processor does on a span before it ends, while it can still be changed. */
abstract class BeforeEndProcessor implements SpanProcessor {
  abstract onEnding(span: Span): void;
  onStart(): void {}
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The last gate before export: every span's name, attributes and event attributes lose
 * query strings and the attributes that could hold a secret (`redact.ts`), whichever
 * instrumentation set them. Registered before the exporting processor, so it runs first.
 */
export class RedactingSpanProcessor extends BeforeEndProcessor {
  onEnding(span: Span): void {
    const name = redactUrl(span.name);
    if (name !== span.name) span.updateName(name);
    replaceContents(span.attributes, redactAttributes(span.attributes));
    for (const event of span.events) {
      if (event.attributes !== undefined) {
        replaceContents(event.attributes, redactAttributes(event.attributes));
      }
    }
  }
}

/**
 * BullMQ names its spans `<operation> <queue>` with `bullmq.*` attributes; this adds the
 * messaging semantic conventions (`messaging.system`, `messaging.operation.type`,
 * `messaging.destination.name`, `messaging.message.id`), so a backend's messaging views work.
 * @see https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/
 */
export class BullmqMessagingProcessor extends BeforeEndProcessor {
  onEnding(span: Span): void {
    const queue = span.attributes['bullmq.queue.name'];
    const operation = MESSAGING_OPERATION[span.kind];
    if (typeof queue !== 'string' || operation === undefined) return;
    span.setAttributes({
      'messaging.system': 'bullmq',
      'messaging.operation.type': operation,
      'messaging.destination.name': queue,
    });
    const jobId = span.attributes['bullmq.job.id'];
    if (typeof jobId === 'string') span.setAttribute('messaging.message.id', jobId);
  }
}

const MESSAGING_OPERATION: Partial<Record<SpanKind, string>> = {
  [SpanKind.PRODUCER]: 'send',
  [SpanKind.CONSUMER]: 'process',
};

/** Swaps an attribute map's contents in place: a span's maps are fixed objects. */
function replaceContents(target: Attributes, source: Attributes): void {
  for (const key of Object.keys(target)) Reflect.deleteProperty(target, key);
  Object.assign(target, source);
}
