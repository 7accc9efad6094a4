import type { Telemetry } from 'bullmq';
import { tracingRequested, type TracingEnv } from './enabled.js';

/** Traces as started: BullMQ's telemetry (for Queue and Worker options) and the flush. */
export interface Tracing {
  readonly queueTelemetry: Telemetry;
  /** Exports what is buffered, then stops. */
  shutdown(): Promise<void>;
}

let started: Tracing | undefined;

/**
 * Starts the OpenTelemetry SDK when an OTLP endpoint is set, else does nothing: the SDK is
 * imported only then (`import()`), so without it neither startup nor a request pays for it.
 * Must run before the instrumented modules load (`--import @tokenlane/tracing/register`).
 */
export async function startTracing(
  env: TracingEnv,
  serviceName: string,
): Promise<Tracing | undefined> {
  if (started !== undefined || !tracingRequested(env)) return started;
  const { startSdk } = await import('./sdk.js');
  started = await startSdk(env, serviceName);
  return started;
}

/** The running traces, if started. */
export function runningTracing(): Tracing | undefined {
  return started;
}
