import { propagation, type TextMapPropagator } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { propagatedHeaders } from './propagation.js';

/** Stands for the SDK's W3C propagator: only its field names matter here. */
const w3c: TextMapPropagator = {
  inject: () => undefined,
  extract: (context) => context,
  fields: () => ['traceparent', 'tracestate'],
};

afterEach(() => {
  propagation.disable();
});

describe('propagatedHeaders', () => {
  it('claims no header while traces are off, so a proxied call passes the caller’s on', () => {
    expect([...propagatedHeaders()]).toEqual([]);
  });

  it('names the headers the registered propagator sets', () => {
    propagation.setGlobalPropagator(w3c);
    expect([...propagatedHeaders()]).toEqual(['traceparent', 'tracestate']);
  });
});
