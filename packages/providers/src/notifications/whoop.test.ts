import { describe, expect, it } from 'vitest';
import { loadProviders } from '../registry/load.js';
import { verifyNotification } from './intake.js';
import {
  CLIENT_SECRET,
  NOW,
  WEBHOOK_SECRET,
  expectRefused,
  hmac,
  notification,
  providerOf,
} from './test-support/fixtures.js';

const whoop = providerOf('whoop');
const body = JSON.stringify({ user_id: 10129, id: 'a1', type: 'workout.updated', trace_id: 't' });
const at = (offsetMs: number) => String(NOW.getTime() + offsetMs);
const signed = (timestamp: string, payload = body, key = CLIENT_SECRET) =>
  notification(payload, {
    'X-WHOOP-Signature': hmac('sha256', key, `${timestamp}${payload}`, 'base64'),
    'X-WHOOP-Signature-Timestamp': timestamp,
  });

describe('WHOOP webhooks', () => {
  it('verifies base64 HMAC-SHA256(client secret, timestamp + body) and ignores data events', () => {
    // The signed X-WHOOP-Signature-Timestamp (ms) is the issue time.
    expect(verifyNotification(whoop, signed(at(-30_000)))).toEqual({
      kind: 'ignored',
      issuedAt: new Date(NOW.getTime() - 30_000),
    });
  });

  it('refuses a wrong key, a missing timestamp or a signature over another body', () => {
    expectRefused(() => verifyNotification(whoop, signed(at(0), body, 'x')), 'invalid_signature');
    const noTimestamp = notification(body, {
      'x-whoop-signature': hmac('sha256', CLIENT_SECRET, body, 'base64'),
    });
    expectRefused(() => verifyNotification(whoop, noTimestamp), 'invalid_signature');
    const moved = signed(at(0));
    const tampered = { ...moved, rawBody: Buffer.from(body.replace('10129', '10130')) };
    expectRefused(() => verifyNotification(whoop, tampered), 'invalid_signature');
  });

  it('refuses timestamps older than five minutes, or that far ahead', () => {
    expectRefused(() => verifyNotification(whoop, signed(at(-301_000))), 'invalid_signature');
    expectRefused(() => verifyNotification(whoop, signed(at(301_000))), 'invalid_signature');
  });

  it('refuses a malformed event under a good signature', () => {
    expectRefused(() => verifyNotification(whoop, signed(at(0), 'nope')), 'invalid_payload');
    expectRefused(() => verifyNotification(whoop, signed(at(0), '{"id":1}')), 'invalid_payload');
  });

  it('verifies with the client secret even when a separate webhookSecret is configured', () => {
    const configured = loadProviders({
      publicUrl: 'https://tokenlane.test',
      file: {
        whoop: { clientId: 'id', clientSecret: CLIENT_SECRET, webhookSecret: WEBHOOK_SECRET },
      },
    }).require('whoop');
    expect(verifyNotification(configured, signed(at(0)))).toMatchObject({ kind: 'ignored' });
    expectRefused(
      () => verifyNotification(configured, signed(at(0), body, WEBHOOK_SECRET)),
      'invalid_signature',
    );
  });
});
