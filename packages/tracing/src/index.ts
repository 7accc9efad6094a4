export { otlpProtocol, tracingRequested } from './enabled.js';
export type { OtlpProtocol, TracingEnv } from './enabled.js';
export { continueTrace, currentTraceparent, parseTraceparent } from './link-trace.js';
export { propagatedHeaders } from './propagation.js';
export { redactAttribute, redactAttributes, redactUrl, stripQuery } from './redact.js';
export { runningTracing, startTracing } from './start.js';
export type { Tracing } from './start.js';
