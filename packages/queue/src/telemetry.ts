import type { Telemetry } from 'bullmq';

let telemetry: Telemetry | undefined;

/**
 * BullMQ's own tracing for every Queue and Worker made after this call (traces on: the
 * producer span's context travels in the job, and the consumer's span continues it).
 */
export function useQueueTelemetry(next: Telemetry | undefined): void {
  telemetry = next;
}

/** The `telemetry` option of a Queue or Worker: none unless traces are on. */
export function telemetryOption(): { telemetry?: Telemetry } {
  return telemetry === undefined ? {} : { telemetry };
}

/**
 * Job options of a job that starts a trace of its own instead of joining its producer's: a
 * bulk enqueue (the sweeper's thousands of refreshes) would otherwise put every job in one.
 */
export function ownTraceOption(): { telemetry?: { omitContext: true } } {
  return telemetry === undefined ? {} : { telemetry: { omitContext: true } };
}
