import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  trace,
  type SpanContext,
} from '@opentelemetry/api';

/** The tracer of tokenlane's own spans (the instrumentations name their own). */
const TRACER = 'tokenlane';

/** W3C `traceparent`: version 00, trace id, parent span id, flags. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C `traceparent` of the active span, to be continued by later work (a link's
 * callback); undefined when traces are off or nothing is being traced.
 * @see https://www.w3.org/TR/trace-context/#traceparent-header
 */
export function currentTraceparent(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (span === undefined || !trace.isSpanContextValid(span)) return undefined;
  const flags = (span.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  return `00-${span.traceId}-${span.spanId}-${flags}`;
}

/** The span context a stored `traceparent` names; undefined for anything malformed. */
export function parseTraceparent(traceparent: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(traceparent);
  if (match === null) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  const parsed = { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
  return trace.isSpanContextValid(parsed) ? parsed : undefined;
}

/**
 * Runs `work` in a span named `name` that continues the trace `traceparent` names (its
 * child), carrying a span link to the span active now (the request that does the work). A
 * link is started by one request and finished by another (the browser's callback): this
 * makes the second one's work, and the jobs it enqueues, part of the first one's trace.
 * Without a stored traceparent (traces off, an older link) `work` just runs.
 */
export async function continueTrace<T>(
  traceparent: string | null | undefined,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const parent = traceparent == null ? undefined : parseTraceparent(traceparent);
  if (parent === undefined) return work();
  const here = trace.getActiveSpan()?.spanContext();
  const span = trace
    .getTracer(TRACER)
    .startSpan(
      name,
      { kind: SpanKind.INTERNAL, links: here === undefined ? [] : [{ context: here }] },
      trace.setSpanContext(ROOT_CONTEXT, parent),
    );
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    // The status only: an error's message is not an attribute we vouch for.
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
