import { tracingRequested, type Tracing, type TracingEnv } from './enabled.js';

export type { Tracing } from './enabled.js';

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
