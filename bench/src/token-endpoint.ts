// A fast local OAuth 2.0 token endpoint (RFC 6749 §5.1), run in its own process by `fork`.
// Every refresh_token grant answers with a new access token and a rotated refresh token.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

let grants = 0;
const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ grants }));
    return;
  }
  request.resume();
  request.on('end', () => {
    grants += 1;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(
      JSON.stringify({
        access_token: randomBytes(16).toString('hex'),
        refresh_token: randomBytes(16).toString('hex'),
        token_type: 'Bearer',
        expires_in: 3600,
      }),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.send?.({ port: address.port });
});
process.on('disconnect', () => process.exit(0));
