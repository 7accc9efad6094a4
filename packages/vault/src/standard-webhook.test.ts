import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signStandardWebhook, standardWebhookKey } from './standard-webhook.js';

const BODY = '{"id":"evt","type":"connection.refreshed"}';
const now = () => Math.floor(Date.now() / 1000);

describe('signStandardWebhook', () => {
  it('verifies with the standardwebhooks library for a whsec_ base64 secret', () => {
    const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    const headers = signStandardWebhook(secret, 'evt_1', now(), BODY);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  it('keys any other secret by its UTF-8 bytes (the library raw format)', () => {
    for (const secret of ['a-plain-webhook-secret-0123', 'whsec_not base64!']) {
      expect(standardWebhookKey(secret)).toEqual(Buffer.from(secret, 'utf8'));
      const headers = signStandardWebhook(secret, 'evt_2', now(), BODY);
      expect(new Webhook(secret, { format: 'raw' }).verify(BODY, { ...headers })).toBeTruthy();
    }
  });

  it('fails verification for another body, id, timestamp or secret', () => {
    const secret = `whsec_${Buffer.from('another-secret-0123456789').toString('base64')}`;
    const headers = { ...signStandardWebhook(secret, 'evt_3', now(), BODY) };
    const hook = new Webhook(secret);
    expect(() => hook.verify(`${BODY} `, headers)).toThrow();
    expect(() => hook.verify(BODY, { ...headers, 'webhook-id': 'evt_4' })).toThrow();
    expect(() =>
      hook.verify(BODY, { ...headers, 'webhook-timestamp': String(now() - 1) }),
    ).toThrow();
    expect(() =>
      new Webhook(`whsec_${Buffer.from('x').toString('base64')}`).verify(BODY, headers),
    ).toThrow();
  });

  it('refuses a timestamp that is not unix seconds', () => {
    expect(() => signStandardWebhook('s', 'id', -1, BODY)).toThrow(RangeError);
    expect(() => signStandardWebhook('s', 'id', 1.5, BODY)).toThrow(RangeError);
  });
});
