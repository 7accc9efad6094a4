import { basename, dirname } from 'node:path';
import { startTracing } from './start.js';

/**
 * `node --import @tokenlane/tracing/register <entry>`: starts traces (when an OTLP endpoint
 * is set) before the entry and what it imports load, as the instrumentations need. The
 * service name follows the entry: services/ingress → tokenlane-ingress, the worker's
 * standalone.ts (`npm start`) → tokenlane.
 */
const entry = process.argv[1] ?? '';
const service = basename(dirname(dirname(entry)));
const serviceName =
  basename(entry).startsWith('standalone') || service === '' ? 'tokenlane' : `tokenlane-${service}`;

await startTracing(process.env, serviceName);
