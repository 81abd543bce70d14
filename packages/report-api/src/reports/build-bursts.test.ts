import { afterEach, describe, expect, it } from 'vitest';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { batch, event, tempStore } from '../../test/helpers.js';
import { buildDailyReport } from './build.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

// A UTC site: 10:00 is on a 30-second boundary, where fixed aligned windows cut.
const DAY = Date.UTC(2026, 2, 1);
const EDGE = DAY + 10 * 3_600_000;
const errors = (n: number, from: number, stepMs: number, ip = '192.0.2.66', status = 404): WatchpostEvent[] =>
  Array.from({ length: n }, (_, i) => event({ ts: from + i * stepMs, ip, status, path: `/p${i}` }));

async function report(events: WatchpostEvent[], options: Parameters<typeof buildDailyReport>[3] = {}) {
  t = tempStore();
  const { site } = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
  await t.store.ingestBatch(site.id, batch(events));
  return buildDailyReport(t.store, site, '2026-03-01', options);
}

describe('report bursts: more than 100 4xx+5xx in any 30 s', () => {
  it('150 errors in 9 s across a 30-second boundary (75 + 75) are one burst, with the IPs behind it', async () => {
    const r = await report([...errors(75, EDGE - 4_500, 60, '192.0.2.66'), ...errors(75, EDGE, 60, '192.0.2.67', 503)]);
    expect(r.bursts).toEqual([
      {
        start: EDGE - 5_000,
        end: EDGE + 5_000,
        errors: 150,
        ips: [
          { ip: '192.0.2.66', errors: 75 },
          { ip: '192.0.2.67', errors: 75 },
        ],
      },
    ]);
    const reasons = r.recommendations
      .filter((rec) => rec.kinds.includes('burst'))
      .map((rec) => [rec.ip, rec.reasons[0]]);
    expect(reasons).toEqual([
      ['192.0.2.66', 'burst of 75 4xx/5xx in 30 s at 09:59'],
      ['192.0.2.67', 'burst of 75 4xx/5xx in 30 s at 10:00'],
    ]);
  });

  it.each([
    ['101 errors spread over 25 s are a burst', 101, true],
    ['100 errors spread over 25 s are not (the rule is "more than 100")', 100, false],
  ])('%s', async (_, n, isBurst) => {
    const r = await report(errors(n, EDGE + 12_345, Math.floor(25_000 / n)));
    expect(r.bursts.map((b) => b.errors)).toEqual(isBurst ? [n] : []);
  });

  it(
    'an incident of 10 minutes at 5 errors a second is reported once, with its extent and its worst 30 ' + 's',
    async () => {
      // 5/s for 10 min, and 20/s for the 10 s in the middle: the worst 30 s hold 5 * 20 + 20 * 10 = 300.
      const steady = errors(3_000, EDGE, 200).filter((e) => e.ts < EDGE + 300_000 || e.ts >= EDGE + 310_000);
      const r = await report([...steady, ...errors(200, EDGE + 300_000, 50, '192.0.2.99')]);
      expect(r.bursts.map((b) => ({ start: b.start - EDGE, end: b.end - EDGE, errors: b.errors }))).toEqual([
        { start: 0, end: 600_000, errors: 300 },
      ]);
      expect(r.bursts[0]?.ips).toEqual([
        { ip: '192.0.2.99', errors: 200 },
        { ip: '192.0.2.66', errors: 150 },
      ]);
    },
  );

  it('lists at most maxBursts bursts, the worst ones, in time order; every one is evidence', async () => {
    // Four incidents a minute apart, of 105, 130, 110 and 120 errors from one IP each.
    const sizes = [105, 130, 110, 120];
    const r = await report(
      sizes.flatMap((n, i) => errors(n, EDGE + i * 60_000, 10, `192.0.2.${i}`)),
      { maxBursts: 2 },
    );
    expect(r.bursts.map((b) => [b.start - EDGE, b.errors])).toEqual([
      [60_000, 130],
      [180_000, 120],
    ]);
    expect(r.recommendations.filter((rec) => rec.kinds.includes('burst'))).toHaveLength(4);
  });

  it('a burst across local midnight shows on both days, counted in full', async () => {
    const r = await report([...errors(60, DAY - 3_000, 50), ...errors(60, DAY, 50)]);
    expect(r.bursts.map((b) => [b.start - DAY, b.end - DAY, b.errors])).toEqual([[-5_000, 5_000, 120]]);
  });
});

describe('report bursts on a busy site: judged against its typical 30 s', () => {
  // Every 30 s all day, yesterday and today, 150 weighted errors: more than 100 in every 30 s.
  const steady = (day: number): WatchpostEvent[] =>
    Array.from({ length: 2880 }, (_, i) =>
      event({ ts: day + i * 30_000 + 1_000, ip: `198.51.100.${i % 200}`, status: 404, sampleRate: 1 / 150 }),
    );
  const spike = errors(400, EDGE + 7_000, 25, '192.0.2.99');

  it('steady errors are no burst; a spike over three times the typical 30 s is', async () => {
    const r = await report([...steady(DAY - 86_400_000), ...steady(DAY), ...spike]);
    // Typical: 150 errors in 30 s (the median quarter-hour of the hours around), so a burst passes 450.
    expect(r.burstThreshold).toBe(450);
    expect(r.bursts).toHaveLength(1);
    expect(r.bursts[0]).toMatchObject({ errors: 550 });
    expect(r.bursts[0]!.start).toBeGreaterThanOrEqual(EDGE);
    expect(r.bursts[0]!.end).toBeLessThanOrEqual(EDGE + 35_000);
    expect(r.bursts[0]!.ips[0]).toEqual({ ip: '192.0.2.99', errors: 400 });
  });

  it('a site busy from its first day has its baseline; factor 0 keeps the absolute threshold only', async () => {
    const alone = await report([...steady(DAY), ...spike]);
    expect(alone.burstThreshold).toBe(450);
    expect(alone.bursts.map((b) => b.errors)).toEqual([550]);
    const absolute = await report([...steady(DAY), ...spike], { burstBaselineFactor: 0 });
    expect(absolute.burstThreshold).toBe(100);
    // The whole day is one "burst": what the baseline is there to avoid.
    expect(absolute.bursts).toHaveLength(1);
    expect(absolute.bursts[0]!.end - absolute.bursts[0]!.start).toBeGreaterThan(23 * 3_600_000);
  });

  it('a burst in a quiet night of a busy day is judged against the night', async () => {
    // No background from 00:00 to 06:00; 300 errors at 03:00 are under 3 times the day's typical 30 s
    // (450) but stand out from the hours around them.
    const busy = steady(DAY).filter((e) => e.ts >= DAY + 6 * 3_600_000);
    const night = errors(300, DAY + 3 * 3_600_000, 50, '192.0.2.98');
    const r = await report([...steady(DAY - 86_400_000), ...busy, ...night]);
    expect(r.burstThreshold).toBe(450);
    expect(r.bursts.map((b) => [b.errors, b.ips[0]?.ip])).toEqual([[300, '192.0.2.98']]);
  });

  it('an attack that lasts ten minutes is one burst, though it raises its own quarter-hour', async () => {
    const attack = errors(8_000, EDGE, 75, '192.0.2.97');
    const r = await report([...steady(DAY - 86_400_000), ...steady(DAY), ...attack]);
    expect(r.bursts).toHaveLength(1);
    expect(r.bursts[0]!.end - r.bursts[0]!.start).toBeGreaterThan(9 * 60_000);
    expect(r.bursts[0]!.ips[0]!.ip).toBe('192.0.2.97');
  });

  it('a quiet site keeps the absolute threshold', async () => {
    const r = await report(errors(101, EDGE, 100));
    expect(r.burstThreshold).toBe(100);
    expect(r.bursts.map((b) => b.errors)).toEqual([101]);
  });

  it('refuses a negative or absurd factor', async () => {
    await expect(report([], { burstBaselineFactor: -1 })).rejects.toThrow(/burstBaselineFactor/);
    await expect(report([], { burstBaselineFactor: Number.NaN })).rejects.toThrow(/burstBaselineFactor/);
  });
});
