// End to end in workerd (`wrangler dev`, per-isolate mode): a credential-stuffing run against the
// declared login path is detected from the origin's statuses and the accounts read at the edge, the
// client is banned, and the events reach the real report API with their login fields (hashed
// accounts only); a crawler scraping at 20 req/s is refused with 403 by a category rate rule.
import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startReportApi } from './support/report-api.js';
import { startEdgeStack, type EdgeStack } from './support/stack.js';
import { until } from './support/until.js';
import type { WranglerDev } from './support/wrangler-dev.js';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
// A crawler that says what it is (a claimed search engine from a random IP is an impersonator instead).
const SCRAPER = 'Scrapy/2.11.2 (+https://scrapy.org)';
const STUFFER = '192.0.2.150';

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

// The origin's login: only alice with the right password gets in; everyone else gets a 401.
const origin = createServer(async (request, response) => {
  const text = await body(request);
  if (request.method === 'POST' && request.url === '/login') {
    const form = new URLSearchParams(text);
    const ok = form.get('username') === 'alice@example.com' && form.get('password') === 'correct horse';
    response.writeHead(ok ? 200 : 401, { 'content-type': 'text/plain' }).end(ok ? 'welcome' : 'no');
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain' }).end(`page ${request.url}`);
});

let reportApi: Awaited<ReturnType<typeof startReportApi>> | undefined;
let dev: WranglerDev | undefined;
let stack: EdgeStack | undefined;

async function login(ip: string, username: string, password = 'guess') {
  const response = await fetch(`${dev!.url}/login`, {
    method: 'POST',
    headers: { 'cf-connecting-ip': ip, 'user-agent': BROWSER, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

async function get(path: string, ip: string, ua: string) {
  const response = await fetch(`${dev!.url}${path}`, {
    headers: { 'cf-connecting-ip': ip, 'user-agent': ua },
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response;
}

beforeAll(async () => {
  stack = await startEdgeStack({
    origin,
    vars: {
      LOGIN_ACCOUNT_KEY: 'e2e-site-account-key-0123456789',
      LOGINS: JSON.stringify({
        endpoints: [{ method: 'POST', path: '/login', failedStatuses: [401], accountField: 'username' }],
        stuffing: { limit: 5, windowMs: 600_000, banMs: 900_000 },
      }),
      // Crawlers: 20 requests per 10 s, then a plain 403 for a minute (most clients stop on 403).
      RATE_RULES: JSON.stringify([
        {
          name: 'crawlers',
          limit: 20,
          windowMs: 10_000,
          match: { botCategories: ['crawler'] },
          status: 403,
          banMs: 60_000,
        },
      ]),
    },
    cf: { country: 'NL', asn: 64510 },
  });
  ({ reportApi, dev } = stack);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('login monitoring and rate rules at the edge (wrangler dev)', () => {
  it('detects and bans a credential-stuffing run, and forwards its events with hashed accounts', async () => {
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push(await login(STUFFER, `victim${i}@example.com`));
    // Five distinct accounts failed: the fifth failure trips the detection, the rest are refused.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 403, 403, 403]);
    // The refused client is refused everywhere; alice, from elsewhere, logs in.
    expect((await get('/', STUFFER, BROWSER)).status).toBe(403);
    expect(await login('192.0.2.151', 'alice@example.com', 'correct horse')).toBe(200);

    const events = await until(
      'the stuffing run stored',
      async () => {
        const found = (await reportApi!.events()).filter((event) => event.ip === STUFFER);
        return found.length >= 9 ? found : undefined;
      },
      { timeoutMs: 20_000, details: () => dev?.output() ?? '' },
    );
    const failures = events.filter((event) => event.login?.outcome === 'failed');
    expect(failures).toHaveLength(5);
    expect(new Set(failures.map((event) => event.login?.account)).size).toBe(5);
    expect(failures.every((event) => /^[0-9a-f]{32}$/.test(String(event.login?.account)))).toBe(true);
    const refused = events.filter((event) => event.rule === 'login:credential-stuffing');
    expect(refused.map((event) => [event.status, event.action])).toEqual(Array(4).fill([403, 'block']));
    expect(refused.every((event) => event.country === 'NL' && event.asn === 64510)).toBe(true);
    // Accounts never leave the edge in clear.
    const stored = JSON.stringify(await reportApi!.events());
    expect(stored).not.toContain('example.com');
    const alice = await until('alice login stored', async () =>
      (await reportApi!.events()).find((event) => event.ip === '192.0.2.151'),
    );
    expect(alice.login).toMatchObject({ outcome: 'success' });
    expect(alice.login?.account).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a crawler scraping at 20 req/s with 403, and not a browser at the same pace', async () => {
    // Start just after a 10 s boundary: the engine's windows are aligned to the clock, and a burst across
    // one may get a request more through while the previous window fades.
    await new Promise((resolve) => setTimeout(resolve, 10_000 - (Date.now() % 10_000) + 100));
    const started = Date.now();
    const scraper: Promise<Response>[] = [];
    const browser: Promise<Response>[] = [];
    for (let i = 0; i < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + i * 50 - Date.now())));
      scraper.push(get(`/catalog/${i}`, '192.0.2.160', SCRAPER));
      browser.push(get(`/catalog/${i}`, '192.0.2.161', BROWSER));
    }
    const scraperStatuses = (await Promise.all(scraper)).map((response) => response.status);
    const browserStatuses = (await Promise.all(browser)).map((response) => response.status);
    expect(scraperStatuses.filter((status) => status === 200)).toHaveLength(20);
    // Requests in flight together may reach the worker out of order: count them, then check the tail.
    expect(scraperStatuses.filter((status) => status === 403)).toHaveLength(10);
    expect(scraperStatuses.slice(-5)).toEqual(Array(5).fill(403));
    expect(browserStatuses.every((status) => status === 200)).toBe(true);
    const refused = await until(
      'ten rate-limited events stored',
      async () => {
        const found = (await reportApi!.events()).filter((event) => event.rule === 'rate:crawlers');
        return found.length >= 10 ? found : undefined;
      },
      { timeoutMs: 20_000, details: () => dev?.output() ?? '' },
    );
    expect(refused.every((event) => event.ip === '192.0.2.160' && event.status === 403)).toBe(true);
    expect(refused.every((event) => event.botCategory === 'crawler')).toBe(true);
  });
});
