import { describe, expect, it } from 'vitest';
import { batch, event } from '../helpers.js';
import { T, type ContractContext } from './context.js';

/** Store contract: rollups. */
export function rollupsContract({ fresh }: ContractContext): void {
  describe('rollups', () => {
    it('weights by 1/sampleRate and files under the site-local day', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 'tokyo', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
      // 16:00 UTC on 1 March is 01:00 on 2 March in Tokyo.
      const late = Date.UTC(2026, 2, 1, 16);
      await store.ingestBatch(
        site.id,
        batch([
          event({ ts: late, sampleRate: 0.1 }),
          event({
            ts: late,
            status: 404,
            action: 'block',
            rule: 'probe-dotenv',
            path: '/.env',
            botCategory: 'scanner',
          }),
        ]),
      );
      expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBe(0);
      const [ip] = await store.topDimension(site.id, '2026-03-02', 'ip', { orderBy: 'requests', limit: 5 });
      expect(ip).toEqual({
        key: '203.0.113.7',
        extra: 'JP',
        requests: 11,
        blocked: 1,
        counted: 0,
        s1xx: 0,
        s2xx: 10,
        s3xx: 0,
        s4xx: 1,
        s5xx: 0,
        probes: 1,
        scanner: 1,
      });
      const [bucket] = await store.trafficBuckets(site.id, late, late + 1);
      expect(bucket).toMatchObject({ start: late, requests: 11 });
      expect(await store.errorBuckets(site.id, late, late + 30_000)).toEqual([{ start: late, errors: 1 }]);
      expect(await store.ipErrorPeaks(site.id, late, late + 30_000, 5)).toEqual([
        { ip: '203.0.113.7', errors: 1, start: late },
      ]);
      expect(await store.getDimensionRows(site.id, '2026-03-02', 'ip', ['203.0.113.7', '192.0.2.1'])).toHaveLength(1);
    });

    it('adds up across batches and orders, filters and limits dimension rows', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      await store.ingestBatch(
        site.id,
        batch([
          event({ ip: '192.0.2.1' }),
          event({ ip: '192.0.2.2', status: 500 }),
          event({ ip: '192.0.2.3', country: null }),
        ]),
      );
      await store.ingestBatch(
        site.id,
        batch([
          event({ ip: '192.0.2.2', status: 500 }),
          event({ ip: '192.0.2.2', action: 'block', status: 403 }),
          event({ ip: '192.0.2.3' }),
        ]),
      );
      const day = '2026-03-01';
      const top = await store.topDimension(site.id, day, 'ip', { orderBy: 'requests', limit: 10 });
      // Ties are broken by key; the country of an IP is the last one known.
      expect(top.map((r) => [r.key, r.requests, r.extra])).toEqual([
        ['192.0.2.2', 3, 'JP'],
        ['192.0.2.3', 2, 'JP'],
        ['192.0.2.1', 1, 'JP'],
      ]);
      expect(
        (await store.topDimension(site.id, day, 'ip', { orderBy: 's5xx', limit: 10, min: 1 })).map((r) => r.key),
      ).toEqual(['192.0.2.2']);
      expect(
        (await store.topDimension(site.id, day, 'ip', { orderBy: 'requests', limit: 1 })).map((r) => r.key),
      ).toEqual(['192.0.2.2']);
      const any = await store.topDimension(site.id, day, 'ip', {
        orderBy: 'requests',
        limit: 10,
        anyAtLeast: { blocked: 1, s5xx: 5 },
      });
      expect(any.map((r) => r.key)).toEqual(['192.0.2.2']);
      await expect(store.topDimension(site.id, day, 'ip', { orderBy: 'nope' as 'requests', limit: 1 })).rejects.toThrow(
        TypeError,
      );
      expect(
        (await store.getDimensionRows(site.id, day, 'ip', ['192.0.2.3', '192.0.2.9', '192.0.2.1'])).map((r) => r.key),
      ).toEqual(['192.0.2.3', '192.0.2.1']);
      expect(await store.getDimensionRows(site.id, day, 'ip', [])).toEqual([]);
      expect(await store.countDimension(site.id, day, 'ip')).toBe(3);
      expect(await store.countDimension(site.id, day, 'country')).toBe(2);
      expect(await store.errorBuckets(site.id, 0, T * 2)).toEqual([{ start: T, errors: 3 }]);
      expect(await store.ipErrorPeaks(site.id, 0, T * 2, 1)).toEqual([{ ip: '192.0.2.2', errors: 3, start: T }]);
    });

    it('keeps 4xx+5xx in 5-second buckets and finds each IP its worst 30 s among them', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const other = await store.createSite({ name: 'o', timeZone: 'UTC', homeCountry: null });
      const at = (ms: number, ip: string, n: number, sampleRate = 1) =>
        Array.from({ length: n }, () => event({ ts: T + ms, ip, status: 404, sampleRate }));
      await store.ingestBatch(
        site.id,
        batch([
          // 192.0.2.10: 2 at +0 s, 3 at +20 s, 2 + 2 (one sampled at 1/2) at +39 s: its worst 30 s are +20 s to +39 s.
          ...at(0, '192.0.2.10', 2),
          ...at(20_000, '192.0.2.10', 3),
          ...at(39_999, '192.0.2.10', 2),
          ...at(35_000, '192.0.2.10', 1, 0.5),
          // 192.0.2.9: 7 in one bucket, a tie with 192.0.2.10; 192.0.2.8: 1.
          ...at(50_001, '192.0.2.9', 7),
          ...at(90_000, '192.0.2.8', 1),
          event({ ts: T + 1_000, ip: '192.0.2.10', status: 200 }),
        ]),
      );
      await store.ingestBatch(other.site.id, batch(at(0, '192.0.2.10', 50)));
      expect(await store.errorBuckets(site.id, T, T + 60_000)).toEqual([
        { start: T, errors: 2 },
        { start: T + 20_000, errors: 3 },
        { start: T + 35_000, errors: 4 },
        { start: T + 50_000, errors: 7 },
      ]);
      expect(await store.ipErrorPeaks(site.id, T, T + 100_000, 10)).toEqual([
        { ip: '192.0.2.10', errors: 7, start: T + 20_000 },
        { ip: '192.0.2.9', errors: 7, start: T + 50_000 },
        { ip: '192.0.2.8', errors: 1, start: T + 90_000 },
      ]);
      // Only buckets inside the range count; the limit keeps the worst.
      expect(await store.ipErrorPeaks(site.id, T + 25_000, T + 60_000, 1)).toEqual([
        { ip: '192.0.2.9', errors: 7, start: T + 50_000 },
      ]);
      expect(await store.ipErrorPeaks(site.id, T + 25_000, T + 40_000, 5)).toEqual([
        { ip: '192.0.2.10', errors: 4, start: T + 35_000 },
      ]);
      expect(await store.ipErrorPeaks(site.id, T, T + 60_000, 0)).toEqual([]);
      // Candidates: IPs with a sixth of the threshold in one bucket (192.0.2.10's worst holds 4,
      // 192.0.2.9's 7, 192.0.2.8's 1); only peaks that reach the threshold come back, and another
      // site's IP never counts.
      const range = { from: T, to: T + 100_000 };
      const peaks = async (errors: number) => (await store.ipErrorPeaksIn(site.id, [range], 10, { errors }))[0];
      expect(await peaks(7)).toEqual([
        { ip: '192.0.2.10', errors: 7, start: T + 20_000 },
        { ip: '192.0.2.9', errors: 7, start: T + 50_000 },
      ]);
      expect(await peaks(1)).toEqual([
        { ip: '192.0.2.10', errors: 7, start: T + 20_000 },
        { ip: '192.0.2.9', errors: 7, start: T + 50_000 },
        { ip: '192.0.2.8', errors: 1, start: T + 90_000 },
      ]);
      expect(await peaks(8)).toEqual([]);
      expect(await peaks(50)).toEqual([]);
      // At most maxCandidates, those with the most errors in one bucket (7 against 4).
      const one = await store.ipErrorPeaksIn(site.id, [range], 10, { errors: 7, maxCandidates: 1 });
      expect(one).toEqual([[{ ip: '192.0.2.9', errors: 7, start: T + 50_000 }]]);
      // Ranges before the traffic hold no candidates; no ranges, no lists.
      expect(await store.ipErrorPeaksIn(site.id, [{ from: 0, to: T }], 10, { errors: 1 })).toEqual([[]]);
      expect(await store.ipErrorPeaksIn(site.id, [], 10, { errors: 1 })).toEqual([]);
      // Several ranges: one list each, in order, from the same candidates.
      expect(
        await store.ipErrorPeaksIn(site.id, [{ from: T + 25_000, to: T + 40_000 }, range, { from: 0, to: 1 }], 1, {
          errors: 4,
        }),
      ).toEqual([
        [{ ip: '192.0.2.10', errors: 4, start: T + 35_000 }],
        [{ ip: '192.0.2.10', errors: 7, start: T + 20_000 }],
        [],
      ]);
    });

    it('finds a 30-s peak made of six buckets each holding a sixth of the threshold', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      // 192.0.2.7: 10 errors in each of six buckets (60 in 30 s); 192.0.2.6: 9 in each (54), and 80
      // more spread one a bucket over the rest of the hour (134 that day, none of them a burst).
      const spread = (ip: string, each: number, buckets: number, first = 0) =>
        Array.from({ length: buckets }, (_, b) =>
          Array.from({ length: each }, () => event({ ts: T + (first + b) * 5_000, ip, status: 404 })),
        ).flat();
      await store.ingestBatch(
        site.id,
        batch([...spread('192.0.2.7', 10, 6), ...spread('192.0.2.6', 9, 6), ...spread('192.0.2.6', 1, 80, 10)]),
      );
      const hour = { from: T, to: T + 3_600_000 };
      expect(await store.ipErrorPeaksIn(site.id, [hour], 10, { errors: 60 })).toEqual([
        [{ ip: '192.0.2.7', errors: 60, start: T }],
      ]);
      expect(await store.ipErrorPeaksIn(site.id, [hour], 10, { errors: 54 })).toEqual([
        [
          { ip: '192.0.2.7', errors: 60, start: T },
          { ip: '192.0.2.6', errors: 54, start: T },
        ],
      ]);
      expect(await store.ipErrorPeaksIn(site.id, [hour], 10, { errors: 61 })).toEqual([[]]);
    });

    it('adds up per-IP error buckets of many IPs across batches', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const ips = Array.from({ length: 250 }, (_, i) => `198.51.100.${i}`);
      // A read between the batches writes what a store holds, so the second batch updates stored rows.
      for (const total of [250, 500]) {
        await store.ingestBatch(site.id, batch(ips.map((ip, i) => event({ ts: T + i, ip, status: 404 }))));
        expect(await store.errorBuckets(site.id, T, T + 5_000)).toEqual([{ start: T, errors: total }]);
      }
      const peaks = await store.ipErrorPeaks(site.id, T, T + 5_000, 1_000);
      expect(peaks).toHaveLength(250);
      expect(peaks.every((p) => p.errors === 2 && p.start === T)).toBe(true);
    });
  });
}
