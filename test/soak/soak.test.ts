import { describe, expect, it } from 'vitest';
import { renderReport } from './report.js';
import { runSoak } from './soak.js';

/**
 * The CI run of the chaos soak (`npm run soak` runs it for longer): three minutes of seeded
 * faults on a Redis Cluster. Seed 11 injects a master failover, a worker kill -9, a provider
 * 503 burst and an ingress restart; `npm run soak -- --seed 11 --minutes 3` replays it.
 */
/**
 * The killed master comes back and rejoins as a replica, as in production: the case that once
 * left BullMQ workers taking no job (docs/reliability.md, "Redis Cluster").
 */
const CI_RUN = { minutes: 3, seed: 11, connections: 40, rejoin: true } as const;

describe('chaos soak (3 minutes, CI)', () => {
  it('holds every invariant under a seeded fault schedule', async () => {
    const report = await runSoak(CI_RUN);
    console.log(renderReport(report));
    expect(report.violations).toEqual([]);
  }, 360_000);
});
