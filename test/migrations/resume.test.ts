import { newConnectionId, type ConnectionId } from '@tokenlane/core';
import { insertConnection } from '@tokenlane/db';
import { resumeMigrations, sealOAuth1Tokens, startMigration } from '@tokenlane/lifecycle';
import { Secret } from '@tokenlane/vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../support/runtime.js';

// No worker runs here: the jobs a migration adds stay in Redis to be counted.
let opened: TestRuntime;

beforeAll(async () => {
  opened = await openTestRuntime({
    label: 'migration-resume',
    providers: {
      garmin: {
        clientId: 'resume-key',
        clientSecret: 'resume-consumer-secret-61ab',
        sunsetAt: null,
      },
      'garmin-oauth2': { clientId: 'resume-client', clientSecret: 'resume-client-secret-83cd' },
    },
  });
}, 60_000);

afterAll(async () => {
  await opened.dispose();
});

async function seed(n: number): Promise<ConnectionId[]> {
  const ids: ConnectionId[] = [];
  for (let i = 0; i < n; i += 1) {
    const id = newConnectionId();
    await insertConnection(opened.runtime.db, {
      id,
      userId: `resume-${i}`,
      provider: 'garmin',
      status: 'active',
      providerUserId: `garmin-resume-${i}`,
      // Made-up credentials: no worker runs, nothing is ever sent.
      ...sealOAuth1Tokens(opened.runtime.keyRing, id, {
        token: new Secret(`token-${id}`),
        tokenSecret: new Secret(`secret-${id}`),
      }),
    });
    ids.push(id);
  }
  return ids;
}

const jobIds = async () =>
  (await opened.runtime.queues.queue('migrate').getJobs(['waiting', 'delayed', 'active']))
    .map((job) => job.id)
    .sort();

describe('a migration whose jobs were lost resumes when a worker starts', () => {
  it('re-adds one job per pending connection, deterministic ids, never twice', async () => {
    const ids = await seed(25);
    const view = await startMigration(opened.runtime, { from: 'garmin', to: 'garmin-oauth2' });
    const expected = ids.map((id) => `migrate-${view.id}-${id}`).sort();
    expect(await jobIds()).toEqual(expected);
    // Redis lost the queue (or the process died between the items and their jobs).
    await opened.runtime.queues.queue('migrate').obliterate({ force: true });
    expect(await jobIds()).toEqual([]);
    expect(await resumeMigrations(opened.runtime)).toBe(25);
    expect(await jobIds()).toEqual(expected);
    // A second start of a worker adds nothing new: the same ids are already queued.
    await resumeMigrations(opened.runtime);
    expect(await jobIds()).toEqual(expected);
    // The jobs carry ids only.
    const [job] = await opened.runtime.queues.queue('migrate').getJobs(['waiting']);
    expect(Object.keys(job!.data as object).sort()).toEqual(['connectionId', 'migrationId']);
  });
});
