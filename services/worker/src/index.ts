// The pool, for the tests of its supervision (the jobs themselves are lifecycle's JOBS).
export { startWorkerPool } from './worker.js';
export type { WorkerPool, WorkerPoolOptions } from './worker.js';
export { scheduleFault, startScheduleWatch } from './schedule-watch.js';
export type { ScheduleFault } from './schedule-watch.js';
export { assertSchedule, recordRun, schedulesOf } from './schedules.js';
