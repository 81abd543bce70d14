import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DailyReport } from '@watchpost/report-api';
import { startDemo, type DemoHandle } from '../src/run.js';

// The whole product on loopback: report API on SQLite, both example apps behind the middleware,
// two simulated days of traffic. A small day keeps it to a few seconds.
let demo: DemoHandle;
let report: DailyReport;

async function dailyReport(date: string): Promise<DailyReport> {
  const res = await fetch(`${demo.reportApiUrl}/v1/reports/daily?date=${date}`, {
    headers: { authorization: `Bearer ${demo.adminKey}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as DailyReport;
}

beforeAll(async () => {
  // A fixed wall clock (20:00 in Tokyo) makes the days played the same whenever the test runs.
  const now = () => Date.parse('2026-11-20T11:00:00Z');
  demo = await startDemo({ port: 0, size: 1500, previousSize: 600, seed: 7, now });
  expect([demo.previousDate, demo.date]).toEqual(['2026-11-19', '2026-11-20']);
  report = await dailyReport(demo.date);
}, 60_000);

afterAll(async () => {
  await demo?.close();
});

describe('watchpost demo, end to end', () => {
  it('played both days over HTTP without transport failures', () => {
    expect(demo.traffic.main.failed).toBe(0);
    expect(demo.traffic.previous.failed).toBe(0);
    expect(demo.traffic.main.sent).toBeGreaterThan(700);
  });

  it('reports the day with a previous day to compare with', async () => {
    expect(report.site).toMatchObject({ timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    expect(report.totals.requests).toBeGreaterThan(500);
    expect(report.comparison.previousDay?.requests).toBeGreaterThan(100);
    const previous = await dailyReport(demo.previousDate);
    expect(previous.totals.requests).toBeGreaterThan(100);
    // What the demo printed is what the API serves.
    expect(demo.report.totals).toEqual(report.totals);
  });

  it('blocked the vulnerability scanner by user agent and by the paths it probed', () => {
    expect(report.bots.find((b) => b.category === 'scanner')?.blocked).toBeGreaterThan(0);
    expect(report.blocksByRule.some((r) => r.rule.startsWith('probe') && r.blocked > 0)).toBe(true);
    expect(report.totals.blocked).toBeGreaterThan(50);
  });

  it('detected the credential-stuffing burst on /login and recommends its addresses', () => {
    expect(report.bursts.length).toBeGreaterThan(0);
    const burstIps = new Set(report.bursts.flatMap((b) => b.ips.map((i) => i.ip)));
    expect(burstIps.size).toBeGreaterThanOrEqual(3);
    expect(report.topPaths.find((p) => p.path === '/login')?.errors4xx).toBeGreaterThan(100);
    expect(report.recommendations.length).toBeGreaterThan(0);
    expect(report.recommendations.every((r) => r.reasons.length > 0)).toBe(true);
    expect(report.recommendations.filter((r) => r.kinds.includes('burst') && burstIps.has(r.ip))).toHaveLength(3);
  });

  it('refuses the slow scraper by its rate rule and the stuffing by login detection', () => {
    const blocked = (rule: string) => report.blocksByRule.find((r) => r.rule === rule)?.blocked ?? 0;
    expect(blocked('rate:catalog-scrapers')).toBeGreaterThan(0);
    expect(blocked('login:credential-stuffing')).toBeGreaterThan(0);
    // What the players saw: the scraper got 200s first and 403s once past 12 pages in 10 minutes.
    expect(demo.traffic.main.byActor.scraper?.[200]).toBeGreaterThanOrEqual(12);
    expect(demo.traffic.main.byActor.scraper?.[403]).toBeGreaterThan(0);
    expect(demo.traffic.main.byActor['credential-stuffing']?.[403]).toBeGreaterThan(200);
  });

  it('shows the 5xx incident, and the attacker who got 500s instead of 403s during it', () => {
    expect(report.statusClasses['5xx']).toBeGreaterThan(20);
    expect(report.totals.successRate).toBeLessThan(1);
    expect(report.suspicious5xx.length).toBeGreaterThan(0);
    expect(report.recommendations.some((r) => r.kinds.includes('suspicious-5xx'))).toBe(true);
  });

  it('splits domestic and foreign traffic: the home country leads, the attacks come from abroad', () => {
    expect(report.domestic.requests).toBeGreaterThan(0);
    expect(report.foreign.requests).toBeGreaterThan(0);
    expect(report.topCountries[0]?.country).toBe('JP');
    expect(report.topCountries.map((c) => c.country)).toContain('US');
    expect(report.domestic.blockRate).toBe(0);
    expect(report.foreign.blockRate).toBeGreaterThan(0.1);
  });

  it('catches its fake Googlebot, and takes none of its verified crawlers for impersonators', () => {
    // One address claims Googlebot from outside Google's ranges: refused, listed, counted under the name.
    const clients = report.botActivity?.impersonators.clients ?? [];
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({ ua: expect.stringContaining('Googlebot') });
    expect(clients[0]!.blocked).toBe(clients[0]!.requests);
    const googlebot = report.botActivity?.byName.find((b) => b.name === 'Googlebot');
    expect(googlebot).toMatchObject({ category: 'search-engine', checked: true, blocked: 0 });
    expect(googlebot!.requests).toBeGreaterThan(0);
    expect(googlebot!.impersonated.requests).toBe(clients[0]!.requests);
  });

  it('counts search engines and AI crawlers as bots without blocking them', () => {
    for (const category of ['search-engine', 'ai-crawler'] as const) {
      const row = report.bots.find((b) => b.category === category);
      expect(row?.requests).toBeGreaterThan(0);
      expect(row?.blocked).toBe(0);
    }
  });

  it('opens the day’s recommendations as triage cases, decidable through the API', async () => {
    const auth = { authorization: `Bearer ${demo.adminKey}` };
    const base = `${demo.reportApiUrl}/v1/sites/${demo.site.id}/cases`;
    const { cases } = (await (await fetch(`${base}?refresh=0&limit=500`, { headers: auth })).json()) as {
      cases: Array<{ id: string; client: string }>;
    };
    const open = report.recommendations.filter((r) => !r.denied).map((r) => r.ip);
    expect(cases.map((c) => c.client).sort()).toEqual(open.sort());
    const decided = await fetch(`${base}/${cases[0]!.id}/decision`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'deny', expiry: '1d', reason: 'demo triage' }),
    });
    expect(decided.status).toBe(200);
    expect(demo.triageUrl).toBe(`${demo.reportApiUrl}/dashboard/sites/${demo.site.id}/triage`);
  });
});
