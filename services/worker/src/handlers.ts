import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';
import { exchangeHandler } from './jobs/exchange.js';
import { identityHandler } from './jobs/identity.js';
import { migrateHandler } from './jobs/migrate.js';
import { notifyHandler } from './jobs/notify.js';
import { outboxHandler } from './jobs/outbox.js';
import { reauthHandler } from './jobs/reauth.js';
import { refreshHandler } from './jobs/refresh.js';
import { retentionHandler } from './jobs/retention.js';
import { revokeHandler } from './jobs/revoke.js';
import { sweepHandler } from './jobs/sweep.js';
import { recordRun, type ScheduledJob } from './schedules.js';

/**
 * One handler per queue of the job catalog, each a thin adapter from a job to a lifecycle
 * operation (one file per queue under ./jobs). Typed as the full `JobHandlers` map: a queue
 * added to the catalog without a handler here does not compile.
 */
export function createHandlers(rt: Runtime): JobHandlers {
  return {
    exchange: exchangeHandler(rt),
    refresh: refreshHandler(rt),
    reauth: reauthHandler(rt),
    revoke: revokeHandler(rt),
    notify: notifyHandler(rt),
    migrate: migrateHandler(rt),
    identity: identityHandler(rt),
    outbox: recorded(rt, 'outbox', outboxHandler(rt)),
    sweep: recorded(rt, 'sweep', sweepHandler(rt)),
    retention: recorded(rt, 'retention', retentionHandler(rt)),
  };
}

/** A recurring job's handler that notes each completed run for the schedule watch. */
function recorded(
  rt: Runtime,
  job: ScheduledJob,
  handler: JobHandlers[ScheduledJob],
): JobHandlers[ScheduledJob] {
  return async (payload, bullJob, token) => {
    const result = await handler(payload, bullJob, token);
    await recordRun(rt, job);
    return result;
  };
}
