import { register } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { BullMQOtel } from 'bullmq-otel';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { otlpProtocol, type Tracing, type TracingEnv } from './enabled.js';
import { BullmqMessagingProcessor, RedactingSpanProcessor } from './span-processors.js';
import { WorkOnlySampler } from './sampler.js';

/** Requests too frequent and too dull to trace: probes and scrapes. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Starts the OTel Node SDK: W3C propagation, the OTLP exporter of the configured protocol,
 * and the instrumentations of what tokenlane talks to (http, undici: provider calls, pg,
 * ioredis, fastify). The SDK reads the standard `OTEL_*` variables itself (endpoint,
 * headers, service name, resource attributes, propagators).
 */
export async function startSdk(env: TracingEnv, serviceName: string): Promise<Tracing> {
  // ESM modules are instrumented through a loader hook, which sees only modules loaded after
  // it, and wraps only those an instrumentation asks for (not every module of the process).
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    sampler: new WorkOnlySampler(
      new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio(env)) }),
    ),
    // Traces only: metrics are Prometheus' (/metrics) and logs go to stdout, so the SDK's
    // default OTLP metric and log exporters stay off.
    metricReaders: [],
    logRecordProcessors: [],
    spanProcessors: [
      new BullmqMessagingProcessor(),
      new RedactingSpanProcessor(),
      new BatchSpanProcessor({ exporter: await exporter(env), ...batchOptions(env) }),
    ],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) =>
          UNTRACED_PATHS.has((request.url ?? '').split('?', 1)[0] ?? ''),
      }),
      new UndiciInstrumentation(),
      // Parameters are never recorded (no enhancedDatabaseReporting): statements keep
      // their placeholders. A query outside any trace (a background poll) makes no span.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({
        requireParentSpan: true,
        // The command name only: arguments are keys and values, including job data.
        dbStatementSerializer: (command) => command,
      }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  return {
    queueTelemetry: new BullMQOtel({ tracerName: 'bullmq' }),
    shutdown: () => sdk.shutdown(),
  };
}

/** The exporter of OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL; it reads its endpoint and headers. */
async function exporter(env: TracingEnv): Promise<SpanExporter> {
  switch (otlpProtocol(env)) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
    case 'http/json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
  }
}

/** The standard `OTEL_BSP_*` settings, which the batch processor no longer reads itself. */
function batchOptions(env: TracingEnv) {
  const option = (name: string) => {
    const value = Number(env[name]);
    return env[name] !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const options = {
    scheduledDelayMillis: option('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: option('OTEL_BSP_EXPORT_TIMEOUT'),
    maxQueueSize: option('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: option('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** The share of new traces kept (`OTEL_TRACES_SAMPLER_ARG`, 0..1; all by default). */
function ratio(env: TracingEnv): number {
  const value = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 1;
}
