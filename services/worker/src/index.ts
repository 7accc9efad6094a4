// The job handlers, for the benchmarks (bench/) that measure exactly what the worker runs.
export { createHandlers } from './handlers.js';
