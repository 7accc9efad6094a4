import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
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

  it('is chosen for a terminal outside production, and TOKENLANE_LOG_FORMAT decides when set', () => {
    const dev = { logFormat: undefined, nodeEnv: 'development' };
    expect(wantsPrettyLogs(dev, true)).toBe(true);
    expect(wantsPrettyLogs(dev, false)).toBe(false);
    expect(wantsPrettyLogs({ ...dev, nodeEnv: 'production' }, true)).toBe(false);
    expect(wantsPrettyLogs({ ...dev, logFormat: 'json' }, true)).toBe(false);
    expect(wantsPrettyLogs({ ...dev, logFormat: 'pretty' }, false)).toBe(true);
    expect(loadConfig({ TOKENLANE_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ TOKENLANE_LOG_FORMAT: 'yaml' })).toThrow(/TOKENLANE_LOG_FORMAT/);
  });
});
