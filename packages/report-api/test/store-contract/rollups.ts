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
      await store.ingestBatch(site.id, batch([
        event({ ts: late, sampleRate: 0.1 }),
        event({ ts: late, status: 404, action: 'block', rule: 'probe-dotenv', path: '/.env', botCategory: 'scanner' }),
      ]));
      expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBe(0);
      const [ip] = await store.topDimension(site.id, '2026-03-02', 'ip', { orderBy: 'requests', limit: 5 });
      expect(ip).toEqual({ key: '203.0.113.7', extra: 'JP', requests: 11, blocked: 1, counted: 0, s1xx: 0, s2xx: 10, s3xx: 0, s4xx: 1, s5xx: 0, probes: 1, scanner: 1 });
      const [bucket] = await store.trafficBuckets(site.id, late, late + 1);
      expect(bucket).toMatchObject({ start: late, requests: 11 });
      const [window] = await store.errorWindows(site.id, late, late + 30_000, 1);
      expect(window).toEqual({ start: late, errors: 1 });
      expect(await store.errorWindowIps(site.id, late, 5)).toEqual([{ ip: '203.0.113.7', errors: 1 }]);
      expect(await store.getDimensionRows(site.id, '2026-03-02', 'ip', ['203.0.113.7', '192.0.2.1'])).toHaveLength(1);
    });

    it('adds up across batches and orders, filters and limits dimension rows', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      await store.ingestBatch(site.id, batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.2', status: 500 }), event({ ip: '192.0.2.3', country: null })]));
      await store.ingestBatch(site.id, batch([event({ ip: '192.0.2.2', status: 500 }), event({ ip: '192.0.2.2', action: 'block', status: 403 }), event({ ip: '192.0.2.3' })]));
      const day = '2026-03-01';
      const top = await store.topDimension(site.id, day, 'ip', { orderBy: 'requests', limit: 10 });
      // Ties are broken by key; the country of an IP is the last one known.
      expect(top.map((r) => [r.key, r.requests, r.extra])).toEqual([['192.0.2.2', 3, 'JP'], ['192.0.2.3', 2, 'JP'], ['192.0.2.1', 1, 'JP']]);
      expect((await store.topDimension(site.id, day, 'ip', { orderBy: 's5xx', limit: 10, min: 1 })).map((r) => r.key)).toEqual(['192.0.2.2']);
      expect((await store.topDimension(site.id, day, 'ip', { orderBy: 'requests', limit: 1 })).map((r) => r.key)).toEqual(['192.0.2.2']);
      const any = await store.topDimension(site.id, day, 'ip', { orderBy: 'requests', limit: 10, anyAtLeast: { blocked: 1, s5xx: 5 } });
      expect(any.map((r) => r.key)).toEqual(['192.0.2.2']);
      await expect(store.topDimension(site.id, day, 'ip', { orderBy: 'nope' as 'requests', limit: 1 })).rejects.toThrow(TypeError);
      expect((await store.getDimensionRows(site.id, day, 'ip', ['192.0.2.3', '192.0.2.9', '192.0.2.1'])).map((r) => r.key)).toEqual(['192.0.2.3', '192.0.2.1']);
      expect(await store.getDimensionRows(site.id, day, 'ip', [])).toEqual([]);
      expect(await store.countDimension(site.id, day, 'ip')).toBe(3);
      expect(await store.countDimension(site.id, day, 'country')).toBe(2);
      expect((await store.errorWindows(site.id, 0, T * 2, 2)).map((w) => w.errors)).toEqual([3]);
      expect(await store.errorWindowIps(site.id, T - (T % 30_000), 1)).toEqual([{ ip: '192.0.2.2', errors: 3 }]);
    });
  });
}
