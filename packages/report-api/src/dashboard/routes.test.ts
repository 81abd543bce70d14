import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKER, HOSTILE, SCANNER, SEED_DATE, seedDashboard } from '../../test/browser/seed.js';
import { CONTENT_SECURITY_POLICY } from './security.js';
import { STYLESHEET_HASH } from './style.js';

let seeded: Awaited<ReturnType<typeof seedDashboard>>;
const ORIGIN = 'http://localhost';

beforeAll(async () => {
  seeded = await seedDashboard();
});
afterAll(() => seeded.cleanup());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  seeded.app.request(path, {
    method: 'POST',
    body: form(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
  });

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await post('/dashboard/sign-in', { adminKey: seeded.adminKey });
  expect(res.status).toBe(303);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const page = await (await seeded.app.request('/dashboard', { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error('no CSRF token on the site list');
  return { cookie, csrf };
}

describe('sign-in', () => {
  it('sends anyone without a session to the sign-in form, with strict security headers', async () => {
    const res = await seeded.app.request('/dashboard');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/sign-in');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const formPage = await seeded.app.request('/dashboard/sign-in');
    expect(formPage.status).toBe(200);
    expect(formPage.headers.get('x-content-type-options')).toBe('nosniff');
    expect(formPage.headers.get('referrer-policy')).toBe('same-origin');
    expect(formPage.headers.get('cache-control')).toBe('no-store');
    expect(await formPage.text()).toContain('<label for="adminKey">');
  });

  it('goes back to the page that asked for a session once signed in (an alert link, say)', async () => {
    const wanted = `/dashboard/sites/${seeded.site.id}/ip?ip=${encodeURIComponent(ATTACKER)}&date=${SEED_DATE}`;
    const asked = await seeded.app.request(wanted);
    expect(asked.status).toBe(303);
    const signInPage = asked.headers.get('location') ?? '';
    expect(signInPage).toBe(`/dashboard/sign-in?next=${encodeURIComponent(wanted)}`);
    const formHtml = await (await seeded.app.request(signInPage)).text();
    const next = /name="next" value="([^"]+)"/.exec(formHtml)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBe(wanted);
    const wrongKey = await post('/dashboard/sign-in', { adminKey: 'wpa_nope', next: wanted });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.text()).toContain('name="next"'); // kept for the next try
    const res = await post('/dashboard/sign-in', { adminKey: seeded.adminKey, next: wanted });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(wanted);
  });

  it.each([
    '//evil.example/dashboard/',
    '/\\evil.example/dashboard/',
    'https://evil.example/dashboard/',
    '/dashboard/../v1/sites',
    '/dashboard/%2e%2e/v1/sites',
    '/dashboard/sites/x\r\nSet-Cookie: a=1',
  ])('never sends the browser elsewhere after signing in: next=%j', async (next) => {
    const formHtml = await (await seeded.app.request(`/dashboard/sign-in?next=${encodeURIComponent(next)}`)).text();
    expect(formHtml).not.toContain('name="next"');
    const res = await post('/dashboard/sign-in', { adminKey: seeded.adminKey, next });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/dashboard/sites/${seeded.site.id}`);
  });

  it.each([
    ['an unknown key', () => 'wpa_nope'],
    ['the ingest key', () => seeded.ingestKey],
    ['an empty key', () => ''],
  ])('refuses %s', async (_name, key) => {
    const res = await post('/dashboard/sign-in', { adminKey: key() });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a cross-origin sign-in', async () => {
    const res = await post('/dashboard/sign-in', { adminKey: seeded.adminKey }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('sets an HttpOnly, SameSite=Strict cookie scoped to /dashboard; Secure over https', async () => {
    const res = await post('/dashboard/sign-in', { adminKey: seeded.adminKey });
    expect(res.headers.get('location')).toBe(`/dashboard/sites/${seeded.site.id}`);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^watchpost_session=[\w-]+\.[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/dashboard');
    expect(cookie).not.toContain('Secure');
    const https = await seeded.app.request('https://watchpost.example/dashboard/sign-in', {
      method: 'POST',
      body: form({ adminKey: seeded.adminKey }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://watchpost.example' },
    });
    expect(https.headers.get('set-cookie')).toContain('Secure');
  });

  it('signs out: the old cookie no longer opens a page', async () => {
    const { cookie, csrf } = await signIn();
    expect((await seeded.app.request('/dashboard', { headers: { cookie } })).status).toBe(200);
    const out = await post('/dashboard/sign-out', { csrf }, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/watchpost_session=;.*Max-Age=0/);
    const after = await seeded.app.request('/dashboard', { headers: { cookie } });
    expect(after.status).toBe(303);
  });
});

describe('pages', () => {
  it('renders the daily report with charts, links and every hostile value escaped', async () => {
    const { cookie } = await signIn();
    const res = await seeded.app.request(`/dashboard/sites/${seeded.site.id}?date=${SEED_DATE}`, {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('shop &lt;i&gt;demo&lt;/i&gt;: daily report for 2026-11-26');
    expect(body).toMatch(/<svg class="chart" id="timeline"[^>]*>[\s\S]*<rect class="f-req"[^>]*height="[1-9]/);
    expect(body).toContain(`href="/dashboard/sites/${seeded.site.id}/ip?ip=${ATTACKER}&amp;date=${SEED_DATE}"`);
    expect(body).toContain(`href="/dashboard/sites/${seeded.site.id}/country?code=CN&amp;date=${SEED_DATE}"`);
    expect(body).toContain(`/path?path=${encodeURIComponent(HOSTILE.svgPath)}&amp;date=`);
    expect(body).toContain('&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;');
    for (const raw of ['<script', '<img src=x', '<svg onload', 'href="javascript:', '<b>bold</b>'])
      expect(body).not.toContain(raw);
    expect(body).toContain('rel="prev"');
    expect(body).toContain('2026-11-25');
    expect(body).toMatch(/prev\. day [\d,]+ \(\+/);
  });

  it('drills down into an IP, a country and a hostile path', async () => {
    const { cookie } = await signIn();
    const base = `/dashboard/sites/${seeded.site.id}`;
    const ip = await (
      await seeded.app.request(`${base}/ip?ip=${ATTACKER}&date=${SEED_DATE}`, { headers: { cookie } })
    ).text();
    expect(ip).toContain(`<h1>IP <code>${ATTACKER}</code></h1>`);
    expect(ip).toContain('Not on the deny list.');
    expect(ip).toContain('/wp-login.php');
    expect(ip).toMatch(/<th scope="row">404<\/th><td class="num">120<\/td>/);
    // The hourly table of the IP page: the 4xx burst at 14:00 and the blocked probes at 15:00, Tokyo time.
    expect(ip).toContain(
      '<tr><th scope="row">14:00</th><td class="num">120</td><td class="num">0</td><td class="num">120</td>',
    );
    expect(ip).toContain(
      '<tr><th scope="row">15:00</th><td class="num">15</td><td class="num">15</td><td class="num">15</td>',
    );
    expect(ip).toContain('probe-&lt;b&gt;bold&lt;/b&gt;');
    const country = await (
      await seeded.app.request(`${base}/country?code=RU&date=${SEED_DATE}`, { headers: { cookie } })
    ).text();
    expect(country).toContain('Country: RU');
    expect(country).toContain(SCANNER);
    const path = await seeded.app.request(`${base}/path?path=${encodeURIComponent(HOSTILE.jsPath)}&date=${SEED_DATE}`, {
      headers: { cookie },
    });
    expect(path.status).toBe(200);
    const pathBody = await path.text();
    expect(pathBody).toContain('<h1>Path <code>javascript:window.__pwned=4</code></h1>');
    expect(pathBody).not.toContain('href="javascript:');
    expect(pathBody).toContain('&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
    const bot = await seeded.app.request(`${base}/bot?name=${encodeURIComponent('<b>x</b>')}&date=${SEED_DATE}`, {
      headers: { cookie },
    });
    expect(bot.status).toBe(200);
    expect(await bot.text()).toContain('<h1>Bot <code>&lt;b&gt;x&lt;/b&gt;</code></h1>');
  });

  it.each([
    ['a bad date', '?date=2026-02-30', 400],
    ['an IP that is not one', '/ip?ip=%22%3E%3Cscript%3E', 400],
    ['a country that is not a code', '/country?code=%3Cb%3E', 400],
    ['a bot name with a control character', '/bot?name=a%07b', 400],
    ['no bot name', '/bot', 400],
  ])('answers %s with 400', async (_name, suffix, status) => {
    const { cookie } = await signIn();
    const res = await seeded.app.request(`/dashboard/sites/${seeded.site.id}${suffix}`, { headers: { cookie } });
    expect(res.status).toBe(status);
    expect(await res.text()).not.toContain('<script');
  });

  it('sends /dashboard/ to /dashboard, and answers unknown pages with an HTML 404', async () => {
    const { cookie } = await signIn();
    const res = await seeded.app.request('/dashboard/', { headers: { cookie } });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/dashboard');
    const missing = await seeded.app.request('/dashboard/nope', { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('hides a site the session did not sign in to', async () => {
    const other = await seeded.store.createSite({ name: 'other', timeZone: 'UTC', homeCountry: null });
    const { cookie } = await signIn();
    const res = await seeded.app.request(`/dashboard/sites/${other.site.id}`, { headers: { cookie } });
    expect(res.status).toBe(404);
  });

  it('serves the logins and rate-limits pages of its own site only, linked from the report', async () => {
    const other = await seeded.store.createSite({ name: 'other2', timeZone: 'UTC', homeCountry: null });
    const { cookie } = await signIn();
    const report = await (
      await seeded.app.request(`/dashboard/sites/${seeded.site.id}?date=${SEED_DATE}`, { headers: { cookie } })
    ).text();
    for (const page of ['logins', 'rate-limits']) {
      const url = `/dashboard/sites/${seeded.site.id}/${page}?date=${SEED_DATE}`;
      expect(report).toContain(url);
      const res = await seeded.app.request(url, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const hidden = await seeded.app.request(`/dashboard/sites/${other.site.id}/${page}`, { headers: { cookie } });
      expect(hidden.status).toBe(404);
      const badDate = await seeded.app.request(`/dashboard/sites/${seeded.site.id}/${page}?date=x`, {
        headers: { cookie },
      });
      expect(badDate.status).toBe(400);
    }
  });

  it('serves the stylesheet under its hash, cacheable forever', async () => {
    const res = await seeded.app.request(`/dashboard/assets/style.${STYLESHEET_HASH}.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/css');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect((await seeded.app.request('/dashboard/assets/style.0000000000000000.css')).status).toBe(404);
  });
});

describe('add to deny list', () => {
  it('needs the session CSRF token and a same-origin request', async () => {
    const { cookie, csrf } = await signIn();
    const url = `/dashboard/sites/${seeded.site.id}/deny`;
    const fields = { ip: SCANNER, date: SEED_DATE, reason: 'test' };
    expect((await post(url, fields, { cookie })).status).toBe(403);
    expect((await post(url, { ...fields, csrf: 'forged' }, { cookie })).status).toBe(403);
    expect((await post(url, { ...fields, csrf }, { cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(url, { ...fields, csrf })).status).toBe(401);
    const list = await seeded.app.request('/v1/denylist', { headers: { authorization: `Bearer ${seeded.adminKey}` } });
    expect(JSON.stringify(await list.json())).not.toContain(SCANNER);
  });

  it.each([
    ['ESC', 'x\u001b[2J'],
    ['NUL', 'a\u0000b'],
    ['a bidi override', 'a\u202Eb'],
  ])('refuses a reason with %s (400) and adds nothing', async (_name, reason) => {
    const { cookie, csrf } = await signIn();
    const res = await post(
      `/dashboard/sites/${seeded.site.id}/deny`,
      { ip: SCANNER, date: SEED_DATE, reason, csrf },
      { cookie },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('control character');
    const list = await seeded.app.request('/v1/denylist', { headers: { authorization: `Bearer ${seeded.adminKey}` } });
    expect(JSON.stringify(await list.json())).not.toContain(SCANNER);
  });

  it('adds the IP, serves it on /v1/denylist and shows it denied', async () => {
    const { cookie, csrf } = await signIn();
    const before = await seeded.app.request('/v1/denylist', {
      headers: { authorization: `Bearer ${seeded.ingestKey}` },
    });
    const etag = before.headers.get('etag') ?? '';
    const res = await post(
      `/dashboard/sites/${seeded.site.id}/deny`,
      { ip: ATTACKER, date: SEED_DATE, reason: 'burst of 4xx', csrf },
      { cookie },
    );
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toBe(`/dashboard/sites/${seeded.site.id}?date=${SEED_DATE}&denied=${ATTACKER}#recommendations`);
    const after = await seeded.app.request('/v1/denylist', {
      headers: { authorization: `Bearer ${seeded.ingestKey}`, 'if-none-match': etag },
    });
    expect(after.status).toBe(200);
    const list = (await after.json()) as { entries: Array<{ value: string; reason: string; source: string }> };
    expect(list.entries).toContainEqual(
      expect.objectContaining({ value: ATTACKER, reason: 'burst of 4xx', source: 'manual' }),
    );
    const report = await (await seeded.app.request(location.split('#')[0]!, { headers: { cookie } })).text();
    expect(report).toContain(`<code>${ATTACKER}</code> was added to the deny list.`);
    const ip = await (
      await seeded.app.request(`/dashboard/sites/${seeded.site.id}/ip?ip=${ATTACKER}&date=${SEED_DATE}`, {
        headers: { cookie },
      })
    ).text();
    expect(ip).toMatch(/Denied<\/span> by entry <code>203\.0\.113\.66<\/code> \(manual,/);
    // When it was added, in the site's own time (Asia/Tokyo), not UTC.
    expect(ip).toContain('(manual, since 2026-11-26 18:00 Asia/Tokyo)');
    expect(ip).toContain('Reason: burst of 4xx');
    // Who did it is in the audit log: the dashboard, and which sign-in.
    const audit = await seeded.store.listAudit(seeded.site.id, { since: 0, limit: 50 });
    expect(audit.entries.filter((e) => e.action === 'denylist.add')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({
          kind: 'dashboard',
          label: expect.stringMatching(/^dashboard session \S{8}$/),
        }),
        reason: 'burst of 4xx',
        after: expect.objectContaining({ value: ATTACKER }),
      }),
    ]);
    // Later visits (no confirmation parameter) still show it denied: the report reads the deny list.
    const later = await (
      await seeded.app.request(`/dashboard/sites/${seeded.site.id}?date=${SEED_DATE}`, { headers: { cookie } })
    ).text();
    const row = later.slice(later.indexOf('id="recommendations"'));
    expect(row).toContain('<span class="badge denied">Denied</span>');
    expect(row).not.toContain(`aria-label="Add ${ATTACKER} to the deny list"`);
  });
});

describe('failures', () => {
  it('answers an internal error with an HTML 500 that keeps the security headers and logs the error', async () => {
    const { Hono } = await import('hono');
    const { dashboardRoutes } = await import('./routes.js');
    const { storeDashboardData } = await import('./data.js');
    const logged: unknown[] = [];
    const real = storeDashboardData(seeded.store, { now: seeded.now });
    const data = {
      ...real,
      getSite: async () => {
        throw new Error('database is locked');
      },
    };
    const app = new Hono().route(
      '/dashboard',
      dashboardRoutes(
        {
          store: seeded.store,
          now: seeded.now,
          limits: { maxBodyBytes: 1, maxDecompressedBytes: 1 },
          logError: (e) => logged.push(e),
        },
        { data },
      ),
    );
    const signIn = await app.request('/dashboard/sign-in', {
      method: 'POST',
      body: form({ adminKey: seeded.adminKey }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const res = await app.request('/dashboard', { headers: { cookie } });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const body = await res.text();
    expect(body).toContain('Something went wrong');
    expect(body).not.toContain('database is locked');
    expect(logged).toHaveLength(1);
  });
});
