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
