import { describe, expect, it } from 'vitest';
import { forwardedRequestHeaders, returnedResponseHeaders } from './headers.js';

describe('proxy headers', () => {
  it('never forwards credentials, forwarding, tokenlane or hop-by-hop headers', () => {
    const forwarded = forwardedRequestHeaders({
      authorization: 'Bearer api-key',
      cookie: 'session=1',
      'proxy-authorization': 'Basic x',
      'x-forwarded-for': '10.0.0.1',
      'x-forwarded-host': 'evil',
      forwarded: 'for=10.0.0.1',
      'tokenlane-timeout': '100',
      connection: 'keep-alive, x-secret-hop',
      'x-secret-hop': '1',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      'transfer-encoding': 'chunked',
      upgrade: 'websocket',
      host: 'tokenlane.local',
      'content-length': '3',
      accept: 'application/json',
      'content-type': 'application/json',
      'x-custom': 'kept',
    });
    expect(forwarded).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'x-custom': 'kept',
    });
  });

  it('never returns set-cookie or hop-by-hop headers', () => {
    const returned = returnedResponseHeaders({
      'set-cookie': ['a=1', 'b=2'],
      connection: 'close, x-hop',
      'x-hop': '1',
      'transfer-encoding': 'chunked',
      'keep-alive': 'timeout=5',
      'proxy-authenticate': 'Basic',
      'content-type': 'application/json',
      'retry-after': '3',
      location: 'https://api.example.com/elsewhere',
    });
    expect(returned).toEqual({
      'content-type': 'application/json',
      'retry-after': '3',
      location: 'https://api.example.com/elsewhere',
    });
  });
});
