import { describe, expect, it } from 'vitest';

import { REDACT_PATHS, createLogger } from './logger.js';

const SECRET = 'sekrit-value-123';

/** A pino destination that keeps each JSON line in memory. */
function memoryDestination() {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
    },
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** `a.*["b-c"]` → ['a', 'any', 'b-c']: a concrete object path a pattern matches. */
function segments(path: string): string[] {
  return [...path.matchAll(/\["([^"]+)"\]|([^.[\]]+)/g)].map((m) => {
    const name = m[1] ?? m[2]!;
    return name === '*' ? 'any' : name;
  });
}

function nest(keys: readonly string[], leaf: unknown): Record<string, unknown> {
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf) as Record<
    string,
    unknown
  >;
}

function valueAt(object: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], object);
}

describe('createLogger', () => {
  it.each(REDACT_PATHS)('redacts %s', (path) => {
    const out = memoryDestination();
    const logger = createLogger({ level: 'info', name: 'test', destination: out });
    const keys = segments(path);
    logger.info(nest(keys, SECRET), 'hello');
    const [line] = out.parsed();
    expect(valueAt(line, keys)).toBe('[redacted]');
    expect(out.lines.join('')).not.toContain(SECRET);
  });

  it('covers the paths docs/architecture.md, rule 1, name', () => {
    for (const path of [
      '*.accessToken',
      'refresh_token',
      '*.oauth_token_secret',
      '*.code_verifier',
      'req.headers.authorization',
      'req.headers.cookie',
      '*.headers.authorization',
      'res.headers["set-cookie"]',
    ]) {
      expect(REDACT_PATHS).toContain(path);
    }
  });

  it('keeps everything else, with name, level and message', () => {
    const out = memoryDestination();
    const logger = createLogger({ level: 'debug', name: 'worker', destination: out });
    logger.debug({ connectionId: 'c1', job: { name: 'refresh', attempts: 2 } }, 'refreshing');
    logger.trace('too verbose');
    expect(out.parsed()).toMatchObject([
      {
        level: 20,
        name: 'worker',
        msg: 'refreshing',
        connectionId: 'c1',
        job: { name: 'refresh', attempts: 2 },
      },
    ]);
  });

  it('redacts inside child bindings too', () => {
    const out = memoryDestination();
    const logger = createLogger({ level: 'info', name: 'ingress', destination: out });
    logger.child({ provider: { clientSecret: SECRET } }).info('ready');
    expect(out.lines.join('')).not.toContain(SECRET);
  });
});
