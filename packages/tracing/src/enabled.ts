import type { Telemetry } from 'bullmq';

/** Traces as started: BullMQ's telemetry (for Queue and Worker options) and the flush. */
export interface Tracing {
  readonly queueTelemetry: Telemetry;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

/** The environment as the OTel SDK reads it. */
export type TracingEnv = Readonly<Record<string, string | undefined>>;

const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export type OtlpProtocol = (typeof PROTOCOLS)[number];

/**
 * Traces are on only when an OTLP endpoint is named (and the SDK is not disabled): without
 * one, nothing of the SDK is loaded and every span call is the API's no-op.
 */
export function tracingRequested(env: TracingEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return false;
  return (
    nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT)
  );
}

/** `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf`. */
export function otlpProtocol(env: TracingEnv): OtlpProtocol {
  const named = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  if (named === undefined || named === '') return 'http/protobuf';
  const protocol = PROTOCOLS.find((known) => known === named);
  if (protocol === undefined) {
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${PROTOCOLS.join(', ')}`);
  }
  return protocol;
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
