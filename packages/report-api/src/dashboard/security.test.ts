import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, sameOriginPosts, securityHeaders } from './security.js';

const ORIGIN = 'https://watchpost.example';

function app() {
  const hono = new Hono();
  hono.use('*', securityHeaders());
  hono.use(
    '*',
    sameOriginPosts(
      () => ORIGIN,
      (c) => c.text('refused', 403),
    ),
  );
  hono.get('/page', (c) => c.html('<p>page</p>'));
  hono.get('/cached', (c) => c.text('css', 200, { 'Cache-Control': 'public, max-age=60' }));
  hono.post('/form', (c) => c.text('done'));
  return hono;
}

describe('securityHeaders', () => {
  it('sends exactly the dashboard headers, with no-store unless the route caches', async () => {
    const res = await app().request('/page');
    expect(Object.fromEntries(res.headers)).toEqual({
      'content-type': 'text/html; charset=UTF-8',
      'content-security-policy':
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=()',
      'cache-control': 'no-store',
    });
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await app().request('/cached')).headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('keeps the headers on a refusal and a 404', async () => {
    const refused = await app().request('/form', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await app().request('/nothing')).headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('sameOriginPosts', () => {
  const form = 'application/x-www-form-urlencoded';
  it.each([
    ['our origin', { origin: ORIGIN }, 200],
    ['same-origin fetch metadata without Origin', { 'sec-fetch-site': 'same-origin' }, 200],
    ['neither header (curl: the session token still decides)', {}, 200],
    ['another origin', { origin: 'https://evil.example' }, 403],
    ['Origin: null (sandboxed frame, data: URL)', { origin: 'null' }, 403],
    ['our origin with a trailing slash', { origin: `${ORIGIN}/` }, 403],
    ['our origin in capitals', { origin: ORIGIN.toUpperCase() }, 403],
    ['our origin over http', { origin: 'http://watchpost.example' }, 403],
    ['a same-site sibling', { 'sec-fetch-site': 'same-site' }, 403],
    ['a cross-site post', { 'sec-fetch-site': 'cross-site' }, 403],
    ['an unknown fetch-site value', { 'sec-fetch-site': '__proto__' }, 403],
    ['a control byte in Origin', { origin: `${ORIGIN}\u0001` }, 403],
  ])('%s → %i', async (_name, headers, status) => {
    const res = await app().request('/form', {
      method: 'POST',
      body: 'a=1',
      headers: { 'content-type': form, ...(headers as Record<string, string>) },
    });
    expect(res.status).toBe(status);
  });

  it('leaves GET alone whatever the origin', async () => {
    expect((await app().request('/page', { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});
