import { afterEach, describe, expect, it } from 'vitest';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { batch, event, tempStore } from '../../test/helpers.js';
import { buildDailyReport } from './build.js';
import { buildLoginsSection, buildRateLimitedSection, MAX_RATE_LIMITED_CLIENTS } from './logins.js';
import { rateLimitedSchema } from './schema-logins-rates.js';
import { dailyReportSchema } from './schema.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

const DAY = '2026-03-01';
const from = Date.UTC(2026, 2, 1);
const range = { from, to: from + 86_400_000 };
const at = (h: number, m = 0, s = 0) => from + h * 3_600_000 + m * 60_000 + s * 1000;
const account = (n: number) => n.toString(16).padStart(32, '0');

async function seeded(events: WatchpostEvent[]) {
  t = tempStore(() => at(23));
  const { site } = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
  for (let i = 0; i < events.length; i += 1000) await t.store.ingestBatch(site.id, batch(events.slice(i, i + 1000)));
  return site;
}

const attempt = (ip: string, ts: number, outcome: 'failed' | 'success', acct: string | null, country = 'RU') =>
  event({
    ts,
    ip,
    country,
    method: 'POST',
    path: '/login',
    status: outcome === 'failed' ? 401 : 200,
    login: { outcome, account: acct },
  });

describe('logins section', () => {
  it('counts attempts per hour, client, country and account, and detects credential stuffing', async () => {
    const stuffing = Array.from({ length: 8 }, (_, i) => attempt('203.0.113.7', at(3, i), 'failed', account(i)));
    const normal = [
      attempt('198.51.100.1', at(9), 'failed', account(100), 'JP'),
      attempt('198.51.100.1', at(9, 1), 'success', account(100), 'JP'),
    ];
    const site = await seeded([...stuffing, ...normal, event({ ts: at(10) })]);
    const logins = await buildLoginsSection(t.store, site.id, range);
    expect(logins).toMatchObject({ attempts: 10, failures: 9, successRate: 0.1 });
    expect(logins.byHour[3]).toMatchObject({ attempts: 8, failures: 8 });
    expect(logins.byHour[9]).toMatchObject({ attempts: 2, failures: 1 });
    expect(logins.topClients[0]).toEqual({ ip: '203.0.113.7', country: 'RU', attempts: 8, failures: 8, accounts: 8 });
    expect(logins.topCountries.map((c) => c.country)).toEqual(['RU', 'JP']);
    expect(logins.accounts.distinct).toBe(9);
    const kinds = logins.detections.map((d) => `${d.kind} ${d.ip}`);
    expect(kinds).toContain('credential-stuffing 203.0.113.7');
    expect(kinds.some((k) => k.includes('198.51.100.1'))).toBe(false);
  });

  it('counts distinct accounts of the top clients and distinct clients of the top accounts', async () => {
    // 30 clients fail once each on account 1; 203.0.113.9 fails three times on account 2 and once on
    // account 3 (four failures: the top client); account 1 is the top account, from 30 clients.
    const many = Array.from({ length: 30 }, (_, i) => attempt(`198.51.100.${i}`, at(4, i), 'failed', account(1)));
    const repeated = [2, 2, 2, 3].map((n, i) => attempt('203.0.113.9', at(5, i), 'failed', account(n)));
    const site = await seeded([...many, ...repeated, attempt('203.0.113.9', at(6), 'success', null)]);
    const logins = await buildLoginsSection(t.store, site.id, range);
    expect(logins.topClients).toHaveLength(20);
    expect(logins.topClients[0]).toEqual({ ip: '203.0.113.9', country: 'RU', attempts: 5, failures: 4, accounts: 2 });
    expect(logins.topClients[1]).toMatchObject({ attempts: 1, failures: 1, accounts: 1 });
    expect(logins.accounts).toEqual({
      distinct: 3,
      top: [
        { account: account(1), failures: 30, clients: 30 },
        { account: account(2), failures: 3, clients: 1 },
        { account: account(3), failures: 1, clients: 1 },
      ],
    });
  });

  it('is empty, with a null success rate, on a day without login attempts', async () => {
    const site = await seeded([event({ ts: at(1) })]);
    const logins = await buildLoginsSection(t.store, site.id, range);
    expect(logins).toMatchObject({ attempts: 0, failures: 0, successRate: null, detections: [] });
  });
});

describe('rateLimited section', () => {
  it('lists a client refused by a rate rule with its rules, refusals, peak per minute and times', async () => {
    const ip = '192.0.2.99';
    const allowed = Array.from({ length: 30 }, (_, i) => event({ ts: at(5, 0, i), ip, path: `/p/${i}` }));
    const refused = Array.from({ length: 10 }, (_, i) =>
      event({ ts: at(5, 0, 30 + i), ip, action: 'block', rule: 'rate:catalog', status: 429 }),
    );
    const counted = event({ ts: at(6), ip: '192.0.2.1', action: 'count', rule: 'rate:per-ip', status: 200 });
    const site = await seeded([...allowed, ...refused, counted]);
    const section = await buildRateLimitedSection(t.store, site.id, range);
    expect(section.totals).toEqual({ clients: 2, refused: 10, counted: 1 });
    expect(section.clients[0]).toEqual({
      ip,
      country: 'JP',
      rules: ['catalog'],
      refused: 10,
      counted: 0,
      peakPerMinute: 40,
      firstRefused: at(5, 0, 30),
      lastRefused: at(5, 0, 39),
    });
    expect(section.clients[1]).toMatchObject({ ip: '192.0.2.1', refused: 0, counted: 1, firstRefused: null });
  });

  it('lists the 200 clients refused most of a botnet over a rate rule; its totals count them all', async () => {
    // 450 addresses, the i-th refused i % 7 + 1 times: a report of every one would grow with the botnet.
    const refusals = Array.from({ length: 450 }, (_, i) =>
      Array.from({ length: (i % 7) + 1 }, (_, k) =>
        event({ ts: at(7, i % 60, k), ip: `10.1.${i >> 8}.${i & 255}`, action: 'block', rule: 'rate:per-ip' }),
      ),
    ).flat();
    const site = await seeded(refusals);
    const section = await buildRateLimitedSection(t.store, site.id, range);
    expect(section.totals).toEqual({ clients: 450, refused: refusals.length, counted: 0 });
    expect(section.clients).toHaveLength(MAX_RATE_LIMITED_CLIENTS);
    expect(section.clients.map((c) => c.refused)).toEqual(
      Array.from({ length: 450 }, (_, i) => (i % 7) + 1)
        .sort((a, b) => b - a)
        .slice(0, MAX_RATE_LIMITED_CLIENTS),
    );
    expect(rateLimitedSchema.safeParse(section).success).toBe(true);
  });
});

it('the daily report carries both sections, recommends on their evidence and matches its schema', async () => {
  const site = await seeded([
    ...Array.from({ length: 6 }, (_, i) => attempt('203.0.113.7', at(3, 0, i), 'failed', account(i))),
    event({ ts: at(4), ip: '192.0.2.99', action: 'block', rule: 'rate:catalog', status: 429 }),
  ]);
  const report = await buildDailyReport(t.store, site, DAY, { now: () => at(23) });
  expect(report.logins?.attempts).toBe(6);
  expect(report.rateLimited?.totals.refused).toBe(1);
  const kinds = Object.fromEntries(report.recommendations.map((r) => [r.ip, r.kinds]));
  expect(kinds['203.0.113.7']).toContain('login-attack');
  expect(kinds['192.0.2.99']).toContain('rate-limited');
  const reasons = report.recommendations.flatMap((r) => r.reasons).join('\n');
  expect(reasons).toContain('login credential-stuffing');
  expect(report.logins?.detections[0]?.evidence).toMatch(/from 03:00 UTC$/);
  // Evidence is in the site's time zone, as the rest of the report.
  const tokyo = await buildLoginsSection(t.store, site.id, { ...range, timeZone: 'Asia/Tokyo' });
  expect(tokyo.detections[0]?.evidence).toMatch(/from 12:00$/);
  expect(reasons).toContain('refused 1 times by rate rules (catalog)');
  expect(dailyReportSchema.safeParse(report).success).toBe(true);
});
