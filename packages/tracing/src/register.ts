import { startTracing } from './start.js';

/**
 * `node --import @tokenlane/tracing/register <entry>`: starts traces (when an OTLP endpoint
 * is set) before the entry and what it imports load, as the instrumentations need. The
 * service name follows the entry: services/ingress → tokenlane-ingress, the worker's
 * standalone.ts (`npm start`) → tokenlane.
 */
const entry = process.argv[1] ?? '';
const service = /services[/\\]([\w-]+)[/\\]/.exec(entry)?.[1];
const serviceName =
  service === undefined || entry.includes('standalone') ? 'tokenlane' : `tokenlane-${service}`;

try {
  await startTracing(process.env, serviceName);
} catch (error) {
  // A bad OTEL_* value stops the process with one line, as a bad TOKENLANE_* value does.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${serviceName}: traces: ${message.split('\n', 1)[0] ?? ''}\n`);
  process.exit(1);
}
