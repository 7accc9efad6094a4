import { newConnectionId, type ConnectionId } from '@tokenlane/core';
import { insertConnection } from '@tokenlane/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@tokenlane/ingress';
import { openTestRuntime, type TestRuntime } from '../support/runtime.js';

const WEBHOOK_SECRET = 'withings-intake-secret-3d2c1b-0f9e8d7c6b5a';

let opened: TestRuntime;
let app: ReturnType<typeof buildApp>;

beforeAll(async () => {
  opened = await openTestRuntime({
    label: 'withings-unlink',
    role: 'ingress',
    providers: {
      withings: {
        clientId: 'withings-id',
        clientSecret: 'withings-secret-9f8e',
        webhookSecret: WEBHOOK_SECRET,
      },
    },
  });
  app = buildApp({ runtime: opened.runtime });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app.close();
  await opened.dispose();
});

async function seed(userid: string): Promise<ConnectionId> {
  const id = newConnectionId();
  await insertConnection(opened.runtime.db, {
    id,
    userId: `app-${userid}`,
    provider: 'withings',
    status: 'active',
    providerUserId: userid,
  });
  return id;
}

describe('Withings action=unlink through the intake', () => {
  it('answers the HEAD check on the secret path, 404 elsewhere', async () => {
    const ok = await app.inject({ method: 'HEAD', url: `/webhooks/withings/${WEBHOOK_SECRET}` });
    expect(ok.statusCode).toBe(200);
    const wrong = await app.inject({ method: 'HEAD', url: '/webhooks/withings/guess' });
    expect(wrong.statusCode).toBe(404);
  });

  it('revokes the connection named by userid (a form POST, no signature)', async () => {
    const unlinked = await seed('363');
    const other = await seed('364');
    const response = await app.inject({
      method: 'POST',
      url: `/webhooks/withings/${WEBHOOK_SECRET}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'userid=363&appli=46&action=unlink',
    });
    expect(response.statusCode).toBe(200);
    const jobs = await opened.runtime.queues.queue('revoke').getJobs(['waiting', 'delayed']);
    expect(jobs.map((job) => job.id)).toEqual([`revoke-${unlinked}`]);
    expect(jobs.map((job) => job.id)).not.toContain(`revoke-${other}`);
    const refused = await app.inject({
      method: 'POST',
      url: '/webhooks/withings/guess',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'userid=364&appli=46&action=unlink',
    });
    expect(refused.statusCode).toBe(401);
  });
});
