import { describe, expect, it } from 'vitest';
import { redactAttribute, redactAttributes, redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('drops the query and fragment of URLs and paths', () => {
    expect(redactUrl('https://api.example/v1/sleep?start=2024-01-01&token=abc')).toBe(
      'https://api.example/v1/sleep',
    );
    expect(redactUrl('/oauth/callback?code=c0de&state=st4te')).toBe('/oauth/callback');
    expect(redactUrl('/page#access_token=abc')).toBe('/page');
    expect(redactUrl('/v1/links')).toBe('/v1/links');
  });

  it('hides the one-time id of /connect/<id>', () => {
    expect(redactUrl('/connect/OqLfiobtua7hejcRPw?x=1')).toBe('/connect/:id');
    expect(redactUrl('http://127.0.0.1:3000/connect/OqLfiobtua7hejcRPw')).toBe(
      'http://127.0.0.1:3000/connect/:id',
    );
  });
});

describe('redactAttribute', () => {
  it('strips queries from every URL attribute the instrumentations set', () => {
    for (const key of ['url.full', 'url.path', 'http.url', 'http.target']) {
      expect(redactAttribute(key, '/oauth/callback?code=c0de')).toBe('/oauth/callback');
    }
  });

  it('drops queries, query parameters and BullMQ job results and options', () => {
    for (const key of [
      'url.query',
      'db.query.parameter.0',
      'bullmq.job.result',
      'bullmq.job.options',
      'bullmq.worker.options',
    ]) {
      expect(redactAttribute(key, 'anything')).toBeUndefined();
    }
  });

  it('keeps other attributes as they are', () => {
    expect(redactAttribute('http.response.status_code', 302)).toBe(302);
    expect(redactAttribute('db.query.text', 'select 1 where a = $1')).toBe('select 1 where a = $1');
  });

  it('redacts a whole map without changing it', () => {
    const attributes = { 'url.query': 'code=c0de', 'url.path': '/cb?state=s', 'http.route': '/cb' };
    expect(redactAttributes(attributes)).toEqual({ 'url.path': '/cb', 'http.route': '/cb' });
    expect(attributes['url.query']).toBe('code=c0de');
  });
});
