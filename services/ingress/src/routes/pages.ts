import type { FastifyRequest } from 'fastify';

/** A browser (not an API client) asked: it gets a page rather than a JSON error. */
export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}
