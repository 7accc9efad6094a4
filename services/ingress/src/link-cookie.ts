import type { LinkSessionId } from '@tokenlane/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The cookie binding a link to the browser that opened it (RFC 9700 §4.7.1): one per link, so
 * several links open at once do not overwrite each other. On HTTPS it is a `__Host-` cookie
 * (Secure, Path=/, no Domain: only this origin can set or read it); on plain-HTTP development
 * the same cookie without the prefix and Secure, which browsers refuse there.
 */
export function linkCookieName(publicUrl: string, linkId: LinkSessionId): string {
  return `${isHttps(publicUrl) ? '__Host-' : ''}tokenlane-link-${linkId}`;
}

function isHttps(publicUrl: string): boolean {
  return publicUrl.startsWith('https:');
}

/**
 * Sets the link cookie. `SameSite=Lax`: the provider's redirect back is a top-level GET, which
 * carries it; a cross-site subrequest does not.
 */
export function setLinkCookie(
  reply: FastifyReply,
  publicUrl: string,
  linkId: LinkSessionId,
  nonce: string,
  expiresAt: Date,
): void {
  const maxAge = Math.max(1, Math.ceil((expiresAt.getTime() - Date.now()) / 1000));
  void reply.header('set-cookie', cookieLine(publicUrl, linkId, nonce, maxAge));
}

/** Drops the link cookie once the callback used it. */
export function clearLinkCookie(
  reply: FastifyReply,
  publicUrl: string,
  linkId: LinkSessionId,
): void {
  void reply.header('set-cookie', cookieLine(publicUrl, linkId, '', 0));
}

function cookieLine(publicUrl: string, linkId: LinkSessionId, value: string, maxAge: number) {
  const secure = isHttps(publicUrl) ? '; Secure' : '';
  return `${linkCookieName(publicUrl, linkId)}=${value}; Path=/; Max-Age=${String(maxAge)}; HttpOnly; SameSite=Lax${secure}`;
}

/** The request's cookies by name (RFC 6265 §5.4 `Cookie` header); later duplicates lose. */
export function requestCookies(request: FastifyRequest): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
  }
  return cookies;
}
