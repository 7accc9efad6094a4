// The job handlers, for the benchmarks (bench/) that measure exactly what the worker runs;
// the pool, for the tests of its supervision.
export { createHandlers } from './handlers.js';
export { startWorkerPool } from './worker.js';
export type { WorkerPool } from './worker.js';
export { scheduleFault, startScheduleWatch } from './schedule-watch.js';
export type { ScheduleFault } from './schedule-watch.js';
export { assertSchedule, recordRun, schedulesOf } from './schedules.js';
