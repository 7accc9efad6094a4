import { describe, expect, it } from 'vitest';
import { redactPath } from './logging.js';
import { routeScope } from './scopes.js';

describe('routeScope', () => {
  it('names the scope of each /v1 route, admin for one the table does not know', () => {
    expect(routeScope('GET', '/v1/connections/:id/token')).toBe('tokens:read');
    expect(routeScope('HEAD', '/v1/connections/:id/token')).toBe('tokens:read');
    expect(routeScope('POST', '/v1/connections/:id/relink')).toBe('connections:write');
    expect(routeScope('DELETE', '/v1/connections/:id')).toBe('connections:write');
    expect(routeScope('GET', '/v1/events')).toBe('events:read');
    expect(routeScope('POST', '/v1/something-new')).toBe('admin');
  });
});

describe('redactPath', () => {
  it('hides everything after the provider segment of a webhook path, matched or not', () => {
    expect(redactPath('/webhooks/garmin/s3cr3t')).toBe('/webhooks/garmin/[redacted]');
    expect(redactPath('/webhooks/garmin/a/b/c')).toBe('/webhooks/garmin/[redacted]');
    expect(redactPath('//WEBHOOKS//garmin/s3cr3t')).toBe('//WEBHOOKS//garmin/[redacted]');
    expect(redactPath('/webhooks/garmin')).toBe('/webhooks/garmin');
    expect(redactPath('/v1/connections/x')).toBe('/v1/connections/x');
  });
});
