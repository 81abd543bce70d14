import { afterEach, describe, expect, it } from 'vitest';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { batch, event, tempStore } from '../../test/helpers.js';
import { buildDailyReport } from './build.js';
import { reportToMarkdown } from './markdown.js';
import { dailyReportSchema } from './schema.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

// Tokyo site; 2026-03-01 local starts at 2026-02-28T15:00Z.
const DAY_START = Date.UTC(2026, 1, 28, 15);
const at = (minutes: number) => DAY_START + minutes * 60_000;
const repeat = (n: number, make: (i: number) => WatchpostEvent) => Array.from({ length: n }, (_, i) => make(i));

async function scenario() {
  t = tempStore();
  const { site } = await t.store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
  const events = [
    // 10 sampled browser requests at rate 0.1 = 100 requests, domestic.
    ...repeat(10, (i) => event({ ts: at(60 + i), ip: `203.0.113.${i}`, sampleRate: 0.1 })),
    // A foreign scanner probing sensitive paths, blocked.
    ...repeat(4, (i) =>
      event({
        ts: at(120 + i),
        ip: '198.51.100.9',
        country: 'US',
        path: i % 2 ? '/.env' : '/.git/config',
        status: 403,
        action: 'block',
        rule: 'probe-dotfiles',
        ua: 'Nuclei',
        botCategory: 'scanner',
      }),
    ),
    // A burst: 120 404s from one IP in 12 s.
    ...repeat(120, (i) =>
      event({ ts: at(600) + i * 100, ip: '192.0.2.66', country: 'CN', path: `/p${i}`, status: 404 }),
    ),
    // A scanner that was answered 500 instead of a 403.
    ...repeat(3, (i) =>
      event({ ts: at(700 + i), ip: '192.0.2.77', country: null, status: 500, ua: 'masscan', botCategory: 'scanner' }),
    ),
    // A would-be block in count mode.
    event({
      ts: at(800),
      ip: '203.0.113.50',
      action: 'count',
      rule: 'bad-bot',
      ua: 'curl/8',
      botCategory: 'http-client',
    }),
  ];
  await t.store.ingestBatch(site.id, batch(events));
  // Previous day: 50 requests; three days before: 20 requests with a 5xx.
  await t.store.ingestBatch(site.id, batch(repeat(50, (i) => event({ ts: DAY_START - 3_600_000 + i }))));
  await t.store.ingestBatch(
    site.id,
    batch(repeat(20, (i) => event({ ts: DAY_START - 3 * 86_400_000 + i, status: i === 0 ? 502 : 200 }))),
  );
  // Outside the day (next local day): must not count.
  await t.store.ingestBatch(site.id, batch([event({ ts: DAY_START + 86_400_000 })]));
  return site;
}

describe('buildDailyReport', () => {
  it('reports the site-local day with weighted totals, shares, top lists and comparison', async () => {
    const site = await scenario();
    const report = await buildDailyReport(t.store, site, '2026-03-01', { now: () => 42 });
    expect(() => dailyReportSchema.parse(report)).not.toThrow();
    expect(report.range).toEqual({ from: DAY_START, to: DAY_START + 86_400_000 });
    expect(report.generatedAt).toBe(42);
    expect(report.totals).toEqual({
      requests: 228,
      allowed: 223,
      blocked: 4,
      counted: 1,
      successRate: 0.9868,
      uniqueIps: 14,
    });
    expect(report.statusClasses).toEqual({ '1xx': 0, '2xx': 101, '3xx': 0, '4xx': 124, '5xx': 3 });
    expect(report.timeline).toHaveLength(24);
    expect(report.timeline[1]?.requests).toBe(100);
    expect(report.timeline[10]).toMatchObject({ errors4xx: 120 });
    expect(report.domestic).toEqual({ requests: 101, blocked: 0, blockRate: 0 });
    expect(report.foreign).toEqual({ requests: 124, blocked: 4, blockRate: 0.0323 });
    expect(report.unknownCountry.requests).toBe(3);
    expect(report.topCountries[0]).toEqual({ country: 'CN', requests: 120, blocked: 0 });
    expect(report.topIps[0]).toEqual({
      ip: '192.0.2.66',
      requests: 120,
      blocked: 0,
      country: 'CN',
      errors4xx: 120,
      errors5xx: 0,
    });
    expect(report.bots).toEqual(expect.arrayContaining([{ category: 'scanner', requests: 7, blocked: 4 }]));
    expect(report.blocksByRule).toEqual([
      { rule: 'probe-dotfiles', blocked: 4, counted: 0 },
      { rule: 'bad-bot', blocked: 0, counted: 1 },
    ]);
    expect(report.bursts).toEqual([
      { start: at(600), end: at(600) + 15_000, errors: 120, ips: [{ ip: '192.0.2.66', errors: 120 }] },
    ]);
    expect(report.comparison.previousDay).toEqual({
      requests: 50,
      blocked: 0,
      errors4xx: 0,
      errors5xx: 0,
      successRate: 1,
    });
    expect(report.comparison.trailing7Days).toMatchObject({ requests: 10, errors5xx: 0 });
    expect(report.comparison.change.requests).toBe(3.56);
  });

  it('recommends IPs with their evidence and flags 5xx answered to abusive clients', async () => {
    const site = await scenario();
    await t.store.addDenyEntry(
      site.id,
      { value: '198.51.100.0/24', reason: 'known', source: 'manual', expiresAt: null },
      0,
    );
    // A browser that only met server failures is no suspect: 5xx alone is the server's fault.
    await t.store.ingestBatch(
      site.id,
      batch(repeat(5, (i) => event({ ts: at(900 + i), ip: '203.0.113.99', status: 503 }))),
    );
    const report = await buildDailyReport(t.store, site, '2026-03-01');
    const byIp = Object.fromEntries(report.recommendations.map((r) => [r.ip, r]));
    expect(byIp['192.0.2.66']).toMatchObject({
      kinds: expect.arrayContaining(['burst', 'high-4xx']),
      requests: 120,
      country: 'CN',
      denied: false,
    });
    expect(byIp['192.0.2.66']?.reasons.join(' ')).toMatch(/burst of 120 4xx\/5xx in 30 s at 10:00/);
    expect(byIp['198.51.100.9']).toMatchObject({ kinds: expect.arrayContaining(['probe', 'scanner']), denied: true });
    expect(byIp['198.51.100.9']?.reasons.join(' ')).toMatch(/\/\.env/);
    expect(byIp['192.0.2.77']?.kinds).toEqual(expect.arrayContaining(['scanner', 'suspicious-5xx']));
    expect(report.suspicious5xx).toEqual([
      { ip: '192.0.2.77', errors5xx: 3, reasons: ['scanner user agent on 3 requests'] },
    ]);
    expect(byIp['203.0.113.1']).toBeUndefined();
    expect(byIp['203.0.113.99']).toBeUndefined();
  });

  it('has 23 hourly points on a spring-forward day and null rates without traffic', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 'ny', timeZone: 'America/New_York', homeCountry: 'US' });
    const report = await buildDailyReport(t.store, site, '2026-03-08');
    expect(report.timeline).toHaveLength(23);
    expect(report.totals.successRate).toBeNull();
    expect(report.comparison).toEqual({
      previousDay: null,
      trailing7Days: null,
      change: { requests: null, blocked: null, errors5xx: null },
    });
  });

  it('counts all 25 hours of a fall-back day, each in its own local hour', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 'ny', timeZone: 'America/New_York', homeCountry: 'US' });
    const from = Date.UTC(2026, 10, 1, 4); // local midnight, EDT
    await t.store.ingestBatch(
      site.id,
      batch([
        ...repeat(25, (i) => event({ ts: from + i * 3_600_000 + 60_000 })),
        event({ ts: from - 1 }),
        event({ ts: from + 25 * 3_600_000 }),
      ]),
    );
    const report = await buildDailyReport(t.store, site, '2026-11-01');
    expect(report.totals.requests).toBe(25);
    expect(report.timeline.map((p) => p.requests)).toEqual(Array(25).fill(1));
    expect(report.comparison.previousDay?.requests).toBe(1);
  });

  it('renders short chat Markdown with numbers, offenders and evidence', async () => {
    const site = await scenario();
    const md = reportToMarkdown(await buildDailyReport(t.store, site, '2026-03-01'));
    // The time zone is tenant text: escaped like any other (`\/` renders as `/`).
    expect(md).toContain('*Watchpost daily report: shop, 2026-03-01* (Asia\\/Tokyo)');
    expect(md).toContain('Requests: *228* (+356% vs previous day)');
    expect(md).toContain('Success rate (non-5xx): *98.68%*');
    expect(md).toMatch(/`192\.0\.2\.66`: burst of 120/);
    expect(md.split('\n').length).toBeLessThan(30);
  });
});
