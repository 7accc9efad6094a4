import { SpanKind, trace, type Context, type Link, type Attributes } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';

/**
 * Keeps the traces of work, not of bookkeeping. Every trace tokenlane wants starts with a
 * request (SERVER), a job (CONSUMER) or an enqueue (PRODUCER); a root INTERNAL span is a
 * BullMQ worker's poll, lock extension or stalled check, a few every second per queue, and
 * is dropped with its whole trace. Everything else goes to `delegate` (the ratio sampler).
 */
export class WorkOnlySampler implements Sampler {
  constructor(private readonly delegate: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (kind === SpanKind.INTERNAL && trace.getSpanContext(context) === undefined) {
      return { decision: SamplingDecision.NOT_RECORD };
    }
    return this.delegate.shouldSample(context, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `WorkOnlySampler{${this.delegate.toString()}}`;
  }
}
