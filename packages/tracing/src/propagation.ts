import { propagation } from '@opentelemetry/api';

/**
 * The headers trace propagation sets on tokenlane's outgoing calls (`traceparent`,
 * `tracestate`, `baggage`); none while traces are off. A proxied call must not also pass the
 * caller's on: the provider would get two `traceparent` values, which W3C makes invalid.
 * @see https://www.w3.org/TR/trace-context/#traceparent-header
 */
export function propagatedHeaders(): ReadonlySet<string> {
  return new Set(propagation.fields().map((field) => field.toLowerCase()));
}
