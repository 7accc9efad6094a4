// A fast local OAuth 2.0 token endpoint (RFC 6749 §5.1), run in its own process by `fork`.
// Every refresh_token grant answers with a new access token and a rotated refresh token.
// `POST /outage?ms=N` makes it answer 503 for the next N ms (and counts those requests).
// `GET /api/...` plays the provider's API for the proxy section.
// `--latency-ms=200 --jitter-ms=50` delays each grant by 200 ± 50 ms (uniform), as a real
// provider answers (the latency section); without them it answers at once.
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';

const arg = (name: string) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? 0);
const latencyMs = arg('latency-ms');
const jitterMs = arg('jitter-ms');
const delay = () => latencyMs + (Math.random() * 2 - 1) * jitterMs;

const RESOURCE = JSON.stringify({
  data: Array.from({ length: 8 }, (_, i) => ({ day: `2026-12-0${String(i + 1)}`, score: 80 + i })),
  next_token: null,
});

let grants = 0;
let refused = 0;
let outageUntil = 0;
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://endpoint');
  if (request.method === 'GET' && url.pathname === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ grants, refused }));
    return;
  }
  if (request.method === 'POST' && url.pathname === '/outage') {
    outageUntil = Date.now() + Number(url.searchParams.get('ms') ?? 0);
    response.writeHead(204).end();
    return;
  }
  // The provider's API for the proxy section: a small JSON answer, like most data reads.
  if (request.method === 'GET' && url.pathname.startsWith('/api/')) {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(RESOURCE);
    return;
  }
  request.resume();
  request.on('end', () => {
    if (Date.now() < outageUntil) {
      refused += 1;
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'temporarily_unavailable' }));
      return;
    }
    grants += 1;
    if (latencyMs > 0) setTimeout(grant, delay(), response);
    else grant(response);
  });
});
function grant(response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(
    JSON.stringify({
      access_token: randomBytes(16).toString('hex'),
      refresh_token: randomBytes(16).toString('hex'),
      token_type: 'Bearer',
      expires_in: 3600,
    }),
  );
}
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.send?.({ port: address.port });
});
process.on('disconnect', () => process.exit(0));
