import type { ConnectionId } from '@tokenlane/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateCounts } from '../reliability/support.js';
import { API_KEY, openSecurityWorld, type SecurityWorld } from './world.js';

/**
 * Scoped, named API keys (issue 17): a key without the route's scope gets 403
 * `insufficient_scope` naming it and changes nothing; the key's name (never the key) is on
 * the request's log lines, in `tokenlane_api_requests_total` and on token-read audit events.
 */
const READER = 'reader-key-0123456789abcdef';
const TOKENS = 'tokens-key-0123456789abcdef';
let world: SecurityWorld;
let id: ConnectionId;

beforeAll(async () => {
  world = await openSecurityWorld({
    TOKENLANE_API_KEYS: `${API_KEY},reader:connections:read+events:read:${READER},billing:tokens:read:${TOKENS}`,
    TOKENLANE_AUDIT_TOKEN_READS: 'true',
  });
  id = await world.link('app-sam', 'sam-at-acme');
}, 60_000);

afterAll(async () => {
  await world.close();
});

const codeOf = (body: string) =>
  (JSON.parse(body) as { error: { code: string; message: string } }).error;

describe('a key without the scope', () => {
  it('is refused with 403 insufficient_scope naming the scope, and nothing changes', async () => {
    const before = await stateCounts(world.rt);
    const row = await world.row(id);
    const attempts: [string, string, string, object?][] = [
      ['GET', `/v1/connections/${id}/token`, 'tokens:read'],
      ['DELETE', `/v1/connections/${id}`, 'connections:write'],
      ['POST', `/v1/connections/${id}/relink`, 'connections:write', {}],
      ['POST', `/v1/connections/${id}/refresh`, 'connections:write'],
      ['POST', `/v1/connections/${id}/unauthorized`, 'connections:write', {}],
      ['POST', '/v1/links', 'connections:write', { userId: 'x', provider: 'acme' }],
    ];
    for (const [method, url, scope, payload] of attempts) {
      const answer = await world.api(method as 'GET', url, payload, READER);
      expect([method, url, answer.statusCode, codeOf(answer.body)]).toEqual([
        method,
        url,
        403,
        { code: 'insufficient_scope', message: `This API key lacks the scope ${scope}` },
      ]);
      expect(answer.headers['www-authenticate']).toContain(`scope="${scope}"`);
    }
    const events = await world.api('GET', '/v1/events', undefined, TOKENS);
    expect([events.statusCode, codeOf(events.body).code]).toEqual([403, 'insufficient_scope']);
    expect(await stateCounts(world.rt)).toEqual(before);
    expect(await world.row(id)).toEqual(row);
  });

  it('reads what its scopes allow; bare keys keep full access', async () => {
    expect((await world.api('GET', `/v1/connections/${id}`, undefined, READER)).statusCode).toBe(
      200,
    );
    expect((await world.api('GET', '/v1/events', undefined, READER)).statusCode).toBe(200);
    expect((await world.api('GET', `/v1/connections/${id}/token`)).statusCode).toBe(200);
  });

  it('a wrong key is still 401, a scope never stands in for the key', async () => {
    const answer = await world.api(
      'GET',
      `/v1/connections/${id}`,
      undefined,
      `reader:connections:read:${READER}`,
    );
    expect(answer.statusCode).toBe(401);
  });
});

describe('who read a token', () => {
  it('names the key on log lines, in metrics and on the audit event, never the key', async () => {
    const logged = world.logs.length;
    const answer = await world.api('GET', `/v1/connections/${id}/token`, undefined, TOKENS);
    expect(answer.statusCode).toBe(200);
    const lines = world.logs.slice(logged);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ key: 'billing' });

    const audit = await world.rt.db
      .selectFrom('events')
      .select(['data'])
      .where('connection_id', '=', id)
      .where('type', '=', 'connection.token_read')
      .orderBy('seq')
      .execute();
    expect(audit.map((event) => event.data.key)).toEqual(['key-1', 'billing']);

    const metrics = await world.rt.metrics.text();
    expect(metrics).toContain('tokenlane_token_reads_total{key="billing"} 1');
    expect(metrics).toMatch(
      /tokenlane_api_requests_total\{key="reader",route="\/v1\/connections\/:id\/token",status="403"\} 1/,
    );
    for (const text of [metrics, world.logs.join('\n'), JSON.stringify(audit)]) {
      for (const secret of [READER, TOKENS, API_KEY]) expect(text).not.toContain(secret);
    }
  });
});
