import { describe, expect, it } from 'vitest';
import { renderReport } from './report.js';
import { runSoak } from './soak.js';

/**
 * The CI run of the chaos soak (`npm run soak` runs it for longer): three minutes of seeded
 * faults on a Redis Cluster. Seed 11 injects a master failover, a worker kill -9, a provider
 * 503 burst and an ingress restart; `npm run soak -- --seed 11 --minutes 3` replays it.
 */
/**
 * The killed master stays down (`rejoin: false`): when it comes back as a replica, BullMQ
 * workers stop taking jobs (docs/reliability.md, "Known gaps"); `npm run soak` keeps the rejoin
 * on and shows it. Turn it on here once that is fixed.
 */
const CI_RUN = { minutes: 3, seed: 11, connections: 40, rejoin: false } as const;

describe('chaos soak (3 minutes, CI)', () => {
  it('holds every invariant under a seeded fault schedule', async () => {
    const report = await runSoak(CI_RUN);
    console.log(renderReport(report));
    expect(report.violations).toEqual([]);
  }, 360_000);
});
