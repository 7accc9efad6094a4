import type { FastifyReply, FastifyRequest } from 'fastify';

/** A browser (not an API client) asked: it gets a page rather than a JSON error. */
export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/** The small page the link flow shows a user; `message` is our own text, never input. */
export function messagePage(message: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>tokenlane</title><body style="font-family:system-ui;margin:4rem auto;max-width:32rem"><p>${message}</p></body></html>`;
}

/** Answers `status` with {@link messagePage}, bypassing the route's JSON response schema. */
export function sendPage(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .serializer((payload: unknown) => String(payload))
    .send(messagePage(message));
}
