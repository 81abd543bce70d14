import { describe, expect, it } from 'vitest';
import { CLAIMED_CRAWLERS, createCrawlerVerifier, parseIp } from '@watchpost/middleware';
import { buildScenario, type ScenarioOptions } from './scenario.js';
import { localDayRange } from '@watchpost/report-api';

const day = localDayRange('2026-11-20', 'Asia/Tokyo');
const base: ScenarioOptions = {
  seed: 11,
  dayStart: day.from,
  homeCountry: 'JP',
  size: 3000,
  incidents: { scanner: true, credentialStuffing: true, outage: true },
};

describe('buildScenario', () => {
  it('plays the same day for the same seed and another day for another seed', () => {
    const a = buildScenario(base);
    const b = buildScenario(base);
    const c = buildScenario({ ...base, seed: 12 });
    expect(b.requests).toEqual(a.requests);
    expect(c.requests).not.toEqual(a.requests);
  });

  it('keeps every request inside the window, in time order', () => {
    const from = day.from + 6 * 3_600_000;
    const to = day.from + 15 * 3_600_000;
    const { requests } = buildScenario({ ...base, from, to });
    expect(requests.length).toBeGreaterThan(500);
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i]!;
      expect(r.ts).toBeGreaterThanOrEqual(from);
      expect(r.ts).toBeLessThan(to);
      if (i > 0) expect(r.ts).toBeGreaterThanOrEqual(requests[i - 1]!.ts);
    }
  });

  it('sizes a whole day near the requested size plus the fixed incidents', () => {
    const { requests } = buildScenario(base);
    // Incidents add 90 scanner requests, 300 login attempts, 40 visits and 20 attacks during the
    // outage; the fake Googlebot 30.
    expect(requests.length).toBeGreaterThan(3000 + 450 + 30 - 20);
    expect(requests.length).toBeLessThan(3000 + 450 + 30 + 20);
  });

  it('casts every kind of client, with most humans from the home country', () => {
    const { requests } = buildScenario(base);
    const actors = new Set(requests.map((r) => r.actor));
    expect([...actors].sort()).toEqual([
      'ai-crawler',
      'browser',
      'credential-stuffing',
      'impersonator',
      'scanner',
      'scraper',
      'search-engine',
    ]);
    const sessions = new Map(requests.filter((r) => r.actor === 'browser').map((r) => [r.ip, r]));
    const domestic = [...sessions.keys()].filter((ip) =>
      ['126', '133', '153', '210', '219', '60', '114', '180'].includes(ip.split('.')[0]!),
    );
    expect(domestic.length / sessions.size).toBeGreaterThan(0.6);
    expect(domestic.length / sessions.size).toBeLessThan(0.85);
  });

  it('sends a fake Googlebot from one address outside Google’s published ranges', () => {
    const fake = buildScenario(base).requests.filter((r) => r.actor === 'impersonator');
    expect(fake).toHaveLength(30);
    expect(new Set(fake.map((r) => r.ip)).size).toBe(1);
    expect(fake[0]!.ua).toContain('Googlebot');
    const list = CLAIMED_CRAWLERS.get('Googlebot')!;
    expect(createCrawlerVerifier()(list, parseIp(fake[0]!.ip)!)).toBe(false);
  });

  it('packs the credential stuffing into a short burst from a few addresses', () => {
    const { requests } = buildScenario(base);
    const stuffing = requests.filter((r) => r.actor === 'credential-stuffing');
    expect(stuffing.every((r) => r.method === 'POST' && r.path === '/login' && r.body)).toBe(true);
    expect(new Set(stuffing.map((r) => r.ip)).size).toBe(3);
    expect(stuffing.at(-1)!.ts - stuffing[0]!.ts).toBeLessThanOrEqual(40_000);
    expect(stuffing.length).toBe(300);
  });

  it('plans a few minutes of outage on the Express app with visitors in it', () => {
    const { outages, requests } = buildScenario(base);
    expect(outages).toHaveLength(1);
    const [outage] = outages;
    expect(outage!.to - outage!.from).toBe(6 * 60_000);
    const during = requests.filter((r) => r.app === 'express' && r.ts >= outage!.from && r.ts < outage!.to);
    expect(during.filter((r) => r.actor === 'browser').length).toBeGreaterThanOrEqual(40);
    // An attacker mixes probes (blocked) with injections that reach the failing app.
    const attacks = during.filter((r) => r.actor === 'scanner');
    expect(attacks).toHaveLength(20);
    expect(new Set(attacks.map((r) => r.ip)).size).toBe(1);
  });

  it('leaves incidents out when not asked for', () => {
    const { requests, outages } = buildScenario({ ...base, incidents: {} });
    expect(outages).toEqual([]);
    expect(requests.some((r) => r.actor === 'scanner' || r.actor === 'credential-stuffing')).toBe(false);
  });

  it.each([
    ['an empty window', { from: day.from, to: day.from }],
    ['a negative size', { size: -1 }],
    ['a fractional size', { size: 1.5 }],
  ])('rejects %s', (_name, patch) => {
    expect(() => buildScenario({ ...base, ...patch })).toThrow(TypeError);
  });
});
