import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { hmacsign } from 'oauth-sign';
import { describe, expect, it } from 'vitest';

// RFC 5849 §1.2: the printer/photos example, signed with HMAC-SHA1.
const consumer = { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' };
const oauth = new OAuth({
  consumer,
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
});

describe('RFC 5849 §1.2 signatures, by both implementations', () => {
  it('temporary credentials request', () => {
    const expected = '74KNZJeDHnMBp0EMJ9ZHt/XKycU=';
    const oauthData = {
      oauth_consumer_key: consumer.key,
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131200',
      oauth_nonce: 'wIjqoS',
    };
    const callback = { oauth_callback: 'http://printer.example.com/ready' };
    expect(
      oauth.getSignature(
        { url: 'https://photos.example.net/initiate', method: 'POST', data: callback },
        undefined,
        oauthData as unknown as OAuth.Data,
      ),
    ).toBe(expected);
    expect(
      hmacsign(
        'POST',
        'https://photos.example.net/initiate',
        { ...oauthData, ...callback },
        consumer.secret,
      ),
    ).toBe(expected);
  });

  it('protected resource request with token credentials', () => {
    const expected = 'MdpQcU8iPSUjWoN/UDMsK2sui9I=';
    const oauthData = {
      oauth_consumer_key: consumer.key,
      oauth_token: 'nnch734d00sl2jdk',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '137131202',
      oauth_nonce: 'chapoH',
    };
    expect(
      oauth.getSignature(
        { url: 'http://photos.example.net/photos?file=vacation.jpg&size=original', method: 'GET' },
        'pfkkdhi9sl3r4s00',
        oauthData as unknown as OAuth.Data,
      ),
    ).toBe(expected);
    expect(
      hmacsign(
        'GET',
        'http://photos.example.net/photos',
        { file: 'vacation.jpg', size: 'original', ...oauthData },
        consumer.secret,
        'pfkkdhi9sl3r4s00',
      ),
    ).toBe(expected);
  });
});
