// End to end: `wrangler dev` (workerd, local mode) in front of a local origin, reporting to the real
// report API (createApp on a temporary SQLite file). Runs in Node (see vitest.e2e.config.ts).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startReportApi } from './support/report-api.js';
import { startOrigin } from './support/servers.js';
import { startEdgeStack, type EdgeStack } from './support/stack.js';
import { until } from './support/until.js';
import { READY_PATH, type WranglerDev } from './support/wrangler-dev.js';

const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

const origin = startOrigin();
let reportApi: Awaited<ReturnType<typeof startReportApi>> | undefined;
let dev: WranglerDev | undefined;
let stack: EdgeStack | undefined;

async function send(
  path: string,
  { ip = '203.0.113.20', ua = BROWSER, ...init }: RequestInit & { ip?: string; ua?: string } = {},
) {
  const headers = new Headers(init.headers);
  headers.set('cf-connecting-ip', ip);
  headers.set('user-agent', ua);
  const response = await fetch(`${dev!.url}${path}`, {
    ...init,
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return { response, body: await response.text() };
}

/**
 * A request through node:http, which (unlike fetch) sends header values as latin1 bytes, so a user
 * agent can carry C1 control bytes (0x80-0x9F) as an attacker's client would.
 */
function sendRaw(path: string, userAgent: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, dev!.url);
    const req = request(
      target,
      { headers: { 'cf-connecting-ip': '203.0.113.21', 'user-agent': userAgent }, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  stack = await startEdgeStack({
    origin: origin.server,
    denied: ['198.51.100.0/24'],
    vars: {
      DENYLIST_TTL_MS: '0',
    },
    cf: { country: 'JP', asn: 64500, colo: 'NRT', botManagement: { verifiedBot: false } },
  });
  ({ reportApi, dev } = stack);
  // The cron trigger, run on demand (`--test-scheduled`): pull the deny list into local KV.
  const scheduled = await fetch(`${dev.url}/__scheduled?cron=*+*+*+*+*`, { signal: AbortSignal.timeout(10_000) });
  expect(scheduled.status).toBe(200);
  await until(
    'the deny-list pull',
    async () =>
      reportApi!.requests.some((request) => request.path === '/v1/denylist' && request.status === 200)
        ? true
        : undefined,
    { details: () => dev?.output() ?? '' },
  );
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('wrangler dev in front of an origin', () => {
  it('passes a browser request through untouched', async () => {
    const { response, body } = await send('/shop/cart?item=7&q=a%20b', {
      method: 'POST',
      body: 'qty=2',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-client-header': 'yes' },
    });
    expect(response.status).toBe(200);
    expect(body).toMatch(/^origin POST \/shop\/cart\?item=7&q=a%20b host=127\.0\.0\.1:\d+ body=qty=2$/);
    expect(response.headers.get('content-type')).toBe('application/x-origin');
    expect(response.headers.get('x-origin-header')).toBe('kept');
    expect(response.headers.get('set-cookie')).toBe('session=abc123; HttpOnly; Path=/');
    expect(response.headers.get('cache-control')).toBe('private, max-age=7');
    const seen = origin.seen.find((request) => request.url.startsWith('/shop/cart'));
    expect(seen?.headers['x-client-header']).toBe('yes');
    expect(seen?.headers['x-forwarded-host']).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('keeps the origin status too', async () => {
    const { response, body } = await send('/teapot');
    expect(response.status).toBe(418);
    expect(body).toMatch(/^origin GET \/teapot/);
  });

  it("hands the origin's redirect to the client instead of following it", async () => {
    const { response } = await send('/redirect');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/elsewhere');
    expect(origin.seen.some((request) => request.url === '/elsewhere')).toBe(false);
  });

  it('answers a scanner user agent 403 without reaching the origin', async () => {
    const { response, body } = await send('/', { ua: 'sqlmap/1.8.4#stable (https://sqlmap.org)' });
    expect(response.status).toBe(403);
    expect(body).toBe('Forbidden\n');
    expect(origin.seen.some((request) => request.headers['user-agent']?.startsWith('sqlmap'))).toBe(false);
  });

  it('answers a denied IP (CF-Connecting-IP) 403', async () => {
    const { response } = await send('/account', { ip: '198.51.100.23' });
    expect(response.status).toBe(403);
    expect(origin.seen.some((request) => request.url === '/account')).toBe(false);
  });

  it('answers a probe of /.env 403', async () => {
    const { response } = await send('/.env');
    expect(response.status).toBe(403);
    expect(origin.seen.some((request) => request.url === '/.env')).toBe(false);
  });

  it('passes a user agent with C1 control bytes and a path with Markdown through', async () => {
    expect(await sendRaw('/poison/c1', 'Mozilla/5.0 \u0085\u009b31m evil')).toBe(200);
    expect(await sendRaw('/poison/[click](https://evil.example)', BROWSER)).toBe(200);
  });

  it('delivered the events to the report API, which stored them', async () => {
    const events = await until(
      'eight events stored by the report API',
      async () => {
        const found = (await reportApi!.events()).filter((event) => event.path !== READY_PATH);
        return found.length >= 8 ? found : undefined;
      },
      { details: () => dev?.output() ?? '' },
    );
    const byPath = new Map(events.map((event) => [event.path, event]));
    expect(byPath.get('/shop/cart')).toMatchObject({
      ip: '203.0.113.20',
      method: 'POST',
      status: 200,
      action: 'allow',
      rule: null,
      country: 'JP',
      asn: 64500,
      botCategory: null,
    });
    expect(byPath.get('/teapot')).toMatchObject({ status: 418, action: 'allow' });
    expect(byPath.get('/redirect')).toMatchObject({ status: 302, action: 'allow' });
    expect(byPath.get('/')).toMatchObject({
      status: 403,
      action: 'block',
      rule: 'bot:scanner',
      botCategory: 'scanner',
    });
    expect(byPath.get('/account')).toMatchObject({
      ip: '198.51.100.23',
      status: 403,
      action: 'block',
      rule: 'deny-list:manual',
    });
    expect(byPath.get('/.env')).toMatchObject({ status: 403, action: 'block', rule: expect.stringMatching(/^probe/) });
    // The poisoned requests arrived beside the others, their text made safe by the worker.
    const poisoned = events.filter((event) => event.path.startsWith('/poison/'));
    expect(poisoned).toHaveLength(2);
    // eslint-disable-next-line no-control-regex
    expect(poisoned.filter((event) => /[\u0000-\u001f\u007f-\u009f]/.test(event.ua + event.path))).toEqual([]);
    const posts = reportApi!.requests.filter((request) => request.path === '/v1/events');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((post) => post.status === 202)).toBe(true);
  });
});
