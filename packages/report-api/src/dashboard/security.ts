import type { Context } from 'hono';
import { csrf } from 'hono/csrf';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';

// The directives in secure-headers' camelCase; CONTENT_SECURITY_POLICY below is the header they make.
const CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/**
 * The dashboard's Content-Security-Policy: no script at all, styles and images from our own origin
 * (images also as data: URIs), forms post only to us, no framing, no <base>.
 *
 * @example
 * res.headers.get('content-security-policy') === CONTENT_SECURITY_POLICY;
 */
export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} ${values.join(' ')}`)
  .join('; ');

/**
 * Middleware that sends the security headers on every dashboard response (pages, redirects,
 * errors), through Hono's `secure-headers`. Pages are never cached; the hashed stylesheet
 * overrides Cache-Control itself.
 *
 * @example
 * app.use('*', securityHeaders());
 */
export function securityHeaders() {
  const headers = secureHeaders({
    contentSecurityPolicy: CSP_DIRECTIVES,
    xContentTypeOptions: true,
    // Not no-referrer: with it, Chromium sends `Origin: null` on our own form posts and the origin check fails.
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    // The headers above and no others (secure-headers would add these by default).
    strictTransportSecurity: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  return createMiddleware(async function dashboardSecurityHeaders(c, next) {
    await headers(c, async () => {
      await next();
      if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
    });
  });
}

/**
 * Refuses a state-changing form post that does not come from our own pages, through Hono's `csrf`:
 * it passes when `Sec-Fetch-Site` is `same-origin` or `Origin` is `origin(c)` exactly (`null`
 * never). Clients that send neither header (curl; every browser sends `Origin` on a POST) are let
 * through to the session's synchronizer token (`Sessions.checkCsrf`), which the routes check on
 * top of this. `onRefused` answers a refusal.
 *
 * @example
 * app.use('*', sameOriginPosts(() => 'https://watchpost.example', (c) => c.text('refused', 403)));
 */
export function sameOriginPosts(origin: (c: Context) => string, onRefused: (c: Context) => Response) {
  const check = csrf({ origin: (sent, c) => sent === origin(c) });
  return createMiddleware(async function refuseCrossOriginPosts(c, next) {
    if (c.req.header('origin') === undefined && c.req.header('sec-fetch-site') === undefined) return next();
    let passed = false;
    try {
      await check(c, async () => {
        passed = true;
      });
    } catch (error) {
      if (!(error instanceof HTTPException) || error.status !== 403) throw error;
    }
    if (!passed) return onRefused(c);
    await next();
  });
}
