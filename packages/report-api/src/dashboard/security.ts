import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';

/**
 * The dashboard's Content-Security-Policy: no script at all, styles and images from our own origin
 * (images also as data: URIs), forms post only to us, no framing, no <base>.
 *
 * @example
 * res.headers.get('content-security-policy') === CONTENT_SECURITY_POLICY;
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Middleware that sends the security headers on every dashboard response (pages, redirects,
 * errors). Pages are never cached; the hashed stylesheet overrides Cache-Control itself.
 *
 * @example
 * app.use('*', securityHeaders());
 */
export function securityHeaders() {
  return createMiddleware(async function dashboardSecurityHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    // Not no-referrer: with it, Chromium sends `Origin: null` on our own form posts and the origin check fails.
    headers.set('Referrer-Policy', 'same-origin');
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  });
}

/**
 * Whether a state-changing request comes from our own pages: the `Origin` header, when sent,
 * must be `origin` exactly (`null` never passes); without it, `Sec-Fetch-Site`, when sent,
 * must be `same-origin`. Clients that send neither (curl) pass this check and still need the
 * CSRF token.
 *
 * @example
 * if (!sameOrigin(c, new URL(c.req.url).origin)) return c.text('cross-origin request refused', 403);
 */
export function sameOrigin(c: Context, origin: string): boolean {
  const sent = c.req.header('origin');
  if (sent !== undefined) return sent === origin;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  return true;
}
