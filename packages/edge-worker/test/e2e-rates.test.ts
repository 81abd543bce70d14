// End to end: a scraper at 20 requests per second through `wrangler dev --env exact` (rate counters in
// the bursts Durable Object), refused with 429 by a rate rule; its events reach the real report API
// carrying `rate:<name>`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startReportApi } from './support/report-api.js';
import { startOrigin } from './support/servers.js';
import { startEdgeStack, type EdgeStack } from './support/stack.js';
import { until } from './support/until.js';
import type { WranglerDev } from './support/wrangler-dev.js';

const origin = startOrigin();
let reportApi: Awaited<ReturnType<typeof startReportApi>> | undefined;
let dev: WranglerDev | undefined;
let stack: EdgeStack | undefined;
// Not a claimed search engine: from a random IP that would be refused as an impersonator before any rate rule.
const SCRAPER = 'Scrapy/2.11.2 (+https://scrapy.org)';

async function send(path: string, ip: string) {
  const response = await fetch(`${dev!.url}${path}`, {
    headers: { 'cf-connecting-ip': ip, 'user-agent': SCRAPER },
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response;
}

beforeAll(async () => {
  stack = await startEdgeStack({
    origin: origin.server,
    env: 'exact',
    vars: {
      // 30 requests in 10 s for anything under /catalog: a 20 req/s scraper passes it in 1.5 s.
      RATE_RULES: JSON.stringify([
        { name: 'catalog-scrapers', limit: 30, windowMs: 10_000, match: { paths: ['/catalog'] }, banMs: 60_000 },
      ]),
    },
    cf: { country: 'US', asn: 8075 },
  });
  ({ reportApi, dev } = stack);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('rate rules at the edge (wrangler dev --env exact)', () => {
  it('refuses a scraper at 20 req/s with 429 and Retry-After, and its events carry rate:<name>', async () => {
    const ip = '192.0.2.99';
    // The engine's windows are aligned to the clock (10 s here) and the previous window fades linearly,
    // so a burst across a boundary may get a request or two more through: start just after one.
    await new Promise((resolve) => setTimeout(resolve, 10_000 - (Date.now() % 10_000) + 100));
    // Fire on a 50 ms schedule without waiting for answers: 20 req/s, however slow the machine answers.
    const started = Date.now();
    const pending: Promise<Response>[] = [];
    for (let i = 0; i < 40; i++) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + i * 50 - Date.now())));
      pending.push(send(`/catalog/item-${i}`, ip));
    }
    const sentPerSecond = 39_000 / (Date.now() - started);
    const responses = await Promise.all(pending);
    expect(sentPerSecond).toBeGreaterThan(15);
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(30);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    expect(statuses.slice(-5)).toEqual(Array(5).fill(429));
    const retryAfter = responses.find((response) => response.status === 429)?.headers.get('retry-after');
    expect(Number(retryAfter)).toBeGreaterThan(50);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // Another client is not affected by the rule's count; the banned client is refused on the rule's
    // paths until the ban ends, and served off them, as the middleware does.
    expect((await send('/catalog/item-0', '192.0.2.100')).status).toBe(200);
    expect((await send('/catalog/item-40', ip)).status).toBe(429);
    expect((await send('/about', ip)).status).toBe(200);

    const refused = await until(
      'eleven rate-limited events stored',
      async () => {
        const found = (await reportApi!.events()).filter((event) => event.rule === 'rate:catalog-scrapers');
        return found.length >= 11 ? found : undefined;
      },
      { timeoutMs: 20_000, details: () => dev?.output() ?? '' },
    );
    expect(refused.every((event) => event.ip === ip && event.status === 429 && event.action === 'block')).toBe(true);
  });
});
