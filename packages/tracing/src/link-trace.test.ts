import { describe, expect, it } from 'vitest';
import { continueTrace, currentTraceparent, parseTraceparent } from './link-trace.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('parses a W3C traceparent into a remote span context', () => {
    expect(parseTraceparent(TRACEPARENT)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
  });

  it('refuses malformed and all-zero ones', () => {
    expect(parseTraceparent('garbage')).toBeUndefined();
    expect(parseTraceparent(`01${TRACEPARENT.slice(2)}`)).toBeUndefined();
    expect(
      parseTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01'),
    ).toBeUndefined();
  });

  it('is undefined when nothing is traced (traces off: the API is a no-op)', () => {
    expect(currentTraceparent()).toBeUndefined();
  });

  it('runs the work as it is without a stored traceparent, and passes its errors on', async () => {
    await expect(continueTrace(null, 'work', () => Promise.resolve(42))).resolves.toBe(42);
    await expect(continueTrace(TRACEPARENT, 'work', () => Promise.resolve('done'))).resolves.toBe(
      'done',
    );
    await expect(
      continueTrace(TRACEPARENT, 'work', () => Promise.reject(new Error('refused'))),
    ).rejects.toThrow('refused');
  });
});
