import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPrettyLogs } from './logger.js';

const SECRET = 'sekrit-pretty-value-456';

describe('readable logs', () => {
  it('prints a readable line, not JSON, with secrets still redacted', () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const logger = createLogger({
      level: 'info',
      name: 'tokenlane',
      destination: out,
      pretty: true,
    });
    logger.info(
      { connectionId: 'c-1', accessToken: SECRET, req: { headers: { authorization: SECRET } } },
      'refreshed',
    );
    logger.debug('below the level');
    const text = chunks.join('');
    expect(text).toMatch(/INFO.*\(tokenlane\): refreshed/);
    expect(text).toContain(`"connectionId":"c-1"`);
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('below the level');
    expect(() => JSON.parse(text.split('\n')[0]!) as unknown).toThrow();
  });

  it('is chosen for a terminal outside production, and never over an explicit JSON ask', () => {
    expect(wantsPrettyLogs({}, true)).toBe(true);
    expect(wantsPrettyLogs({}, false)).toBe(false);
    expect(wantsPrettyLogs({ NODE_ENV: 'production' }, true)).toBe(false);
    expect(wantsPrettyLogs({ TOKENLANE_LOG_FORMAT: 'json' }, true)).toBe(false);
    expect(wantsPrettyLogs({ TOKENLANE_LOG_FORMAT: 'pretty' }, false)).toBe(true);
  });
});
