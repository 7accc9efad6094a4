import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { WorkOnlySampler } from './sampler.js';
import { BullmqMessagingProcessor, RedactingSpanProcessor } from './span-processors.js';

/** A provider wired as sdk.ts wires it, exporting to memory. */
function memoryProvider() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    sampler: new WorkOnlySampler(new AlwaysOnSampler()),
    spanProcessors: [
      new BullmqMessagingProcessor(),
      new RedactingSpanProcessor(),
      new SimpleSpanProcessor({ exporter }),
    ],
  });
  return { tracer: provider.getTracer('test'), exporter };
}

describe('RedactingSpanProcessor', () => {
  it('strips queries set after the span started, from attributes, events and the name', () => {
    const { tracer, exporter } = memoryProvider();
    const span = tracer.startSpan('GET /oauth/callback?code=c0de', { kind: SpanKind.SERVER });
    span.setAttributes({
      'url.path': '/oauth/callback?code=c0de&state=st4te',
      'url.query': 'code=c0de&state=st4te',
      'http.route': '/oauth/callback',
    });
    span.addEvent('redirect', { 'url.full': 'https://p.example/authorize?state=st4te' });
    span.end();
    const [exported] = exporter.getFinishedSpans();
    expect(exported?.name).toBe('GET /oauth/callback');
    expect(exported?.attributes).toEqual({
      'url.path': '/oauth/callback',
      'http.route': '/oauth/callback',
    });
    expect(exported?.events[0]?.attributes).toEqual({ 'url.full': 'https://p.example/authorize' });
  });
});

describe('BullmqMessagingProcessor', () => {
  it('adds the messaging conventions to BullMQ producer and consumer spans', () => {
    const { tracer, exporter } = memoryProvider();
    for (const kind of [SpanKind.PRODUCER, SpanKind.CONSUMER]) {
      tracer
        .startSpan('exchange', {
          kind,
          attributes: { 'bullmq.queue.name': 'exchange', 'bullmq.job.id': 'exchange-1' },
        })
        .end();
    }
    expect(exporter.getFinishedSpans().map((span) => span.attributes)).toEqual([
      expect.objectContaining({
        'messaging.system': 'bullmq',
        'messaging.operation.type': 'send',
        'messaging.destination.name': 'exchange',
        'messaging.message.id': 'exchange-1',
      }),
      expect.objectContaining({ 'messaging.operation.type': 'process' }),
    ]);
  });
});

describe('WorkOnlySampler', () => {
  it('drops a trace that starts with an INTERNAL span (a poll), keeps one started by work', () => {
    const { tracer, exporter } = memoryProvider();
    tracer.startSpan('getNextJob exchange', { kind: SpanKind.INTERNAL }).end();
    const request = tracer.startSpan('POST /v1/links', { kind: SpanKind.SERVER });
    const inside = trace.setSpan(ROOT_CONTEXT, request);
    tracer.startSpan('link callback', { kind: SpanKind.INTERNAL }, inside).end();
    request.end();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual([
      'link callback',
      'POST /v1/links',
    ]);
  });
});
