import { eventSchema } from '@watchpost/middleware/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportToMarkdown } from '../../src/reports/markdown.js';
import { buildDailyReport } from '../../src/reports/build.js';
import { rawRequest, startExampleApps, startReportApi } from './harness.js';

// Poison through the real apps: the example Express and Hono apps behind the middleware, forwarding
// to the report API over HTTP (writer thread, as `watchpost serve`). Hostile requests are mixed with
// plain ones; every plain request must still reach the report, nothing may answer 500, and the
// database must open again afterwards.
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const NORMAL_PER_APP = 60;

/** Requests an attacker chooses byte for byte; Node refuses some (400) before any app sees them. */
const POISON: Array<{ name: string; path: string; headers: Record<string, string | Buffer> }> = [
  {
    name: 'C1 control in the user agent',
    path: '/products',
    headers: { 'user-agent': latin1('Mozilla/5.0 \x85 evil') },
  },
  {
    name: 'C1 CSI (terminal escape) in the user agent',
    path: '/products',
    headers: { 'user-agent': latin1('\x9b31mred\x9b0m') },
  },
  {
    name: 'UTF-8 of a lone surrogate in the user agent',
    path: '/',
    headers: { 'user-agent': Buffer.from([0x41, 0xed, 0xa0, 0x80, 0x42]) },
  },
  { name: 'an 8 KB user agent', path: '/', headers: { 'user-agent': 'A'.repeat(8_000) } },
  {
    name: 'Slack mention and link in the user agent',
    path: '/',
    headers: { 'user-agent': '<!channel> *bold* <https://evil.example|click here>' },
  },
  { name: 'Markdown link in the path', path: '/.env[Open_the_dashboard](https://evil.example/phish)', headers: {} },
  { name: 'percent-encoded controls in the path', path: '/a%00b%1bc%85d%ED%A0%80', headers: {} },
  { name: 'raw high bytes in the path', path: latin1('/caf\xe9\x85\x9b').toString('latin1'), headers: {} },
  { name: 'a 6 KB path', path: `/${'p'.repeat(6_000)}`, headers: {} },
  { name: 'HTML in X-Forwarded-For', path: '/', headers: { 'x-forwarded-for': '<script>alert(1)</script>' } },
  { name: 'not an IP in X-Forwarded-For', path: '/', headers: { 'x-forwarded-for': 'not-an-ip, 999.999.1.1' } },
  { name: 'C1 control in the Host', path: '/', headers: { host: latin1('shop\x85.example') } },
  { name: 'a 400-character Host', path: '/', headers: { host: `${'h'.repeat(400)}.example` } },
  { name: 'an unusual method', path: '/', headers: {} },
];

let api: Awaited<ReturnType<typeof startReportApi>>;
const statuses: Array<{ app: string; name: string; status: number }> = [];

beforeAll(async () => {
  api = await startReportApi();
  const apps = await startExampleApps(api.url, api.site.ingestKey);
  try {
    for (const [app, url] of Object.entries(apps.urls)) {
      for (let i = 0; i < NORMAL_PER_APP; i++) {
        const poison = POISON[i % POISON.length];
        if (poison && i < POISON.length) {
          const method = poison.name === 'an unusual method' ? 'PROPFIND' : 'GET';
          statuses.push({ app, name: poison.name, status: await rawRequest(url, method, poison.path, poison.headers) });
        }
        const res = await fetch(`${url}/normal/${app}/${i}`, {
          headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0' },
        });
        expect(res.status).toBe(404);
      }
    }
  } finally {
    // Closing the middleware flushes every queued event to the report API.
    await apps.close();
  }
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

describe('poisoned requests through the real Express and Hono apps', () => {
  it('never make an app or the report API answer 500', () => {
    expect(statuses.filter((s) => s.status >= 500)).toEqual([]);
    expect(api.errors).toEqual([]);
  });

  it('leave every plain request of both apps in the store', async () => {
    const events = await api.store.listEvents(api.site.site.id, { from: 0, to: Date.now() + 60_000, limit: 10_000 });
    for (const app of ['express', 'hono']) {
      const paths = new Set(events.filter((e) => e.path.startsWith(`/normal/${app}/`)).map((e) => e.path));
      expect(paths.size, `${app}: plain requests stored`).toBe(NORMAL_PER_APP);
    }
  });

  it('store every poisoned request an app answered, as a valid event', async () => {
    // Node itself refuses some requests (400, 431) before any middleware sees them.
    const answered = statuses.filter((s) => s.status >= 200 && s.status !== 400 && s.status !== 431).length;
    expect(answered).toBeGreaterThanOrEqual(24);
    const events = await api.store.listEvents(api.site.site.id, { from: 0, to: Date.now() + 60_000, limit: 10_000 });
    const poisoned = events.filter((e) => !e.path.startsWith('/normal/'));
    expect(poisoned.length).toBe(answered);
    for (const { id: _id, siteId: _siteId, ...event } of events)
      expect(eventSchema.safeParse(event).success).toBe(true);
    // Text from traffic holds no control characters once stored.
    // eslint-disable-next-line no-control-regex
    expect(poisoned.filter((e) => /[\u0000-\u001f\u007f-\u009f]/.test(e.ua + e.path + e.host))).toEqual([]);
  });

  it('keep links and mentions out of the Markdown report', async () => {
    const date = new Date().toISOString().slice(0, 10);
    const report = await buildDailyReport(api.store, api.site.site, date);
    const markdown = reportToMarkdown(report);
    // The hostile path is in the report (top paths), as text.
    expect(markdown.replace(/\\/g, '')).toContain('Open_the_dashboard');
    expect(markdown).not.toMatch(/\]\(https:\/\/evil/);
    expect(markdown).not.toContain('<!channel>');
  });

  it('leave a database that opens again with every event', async () => {
    const before = await api.store.listEvents(api.site.site.id, { from: 0, to: Date.now() + 60_000, limit: 10_000 });
    const store = await api.reopen();
    const after = await store.listEvents(api.site.site.id, { from: 0, to: Date.now() + 60_000, limit: 10_000 });
    expect(after.length).toBe(before.length);
  });
});
