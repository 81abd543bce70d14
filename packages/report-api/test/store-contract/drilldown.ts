import { beforeEach, describe, expect, it } from 'vitest';
import type { SliceFilter, SliceGroupBy } from '../../src/db/drilldown.js';
import type { Store } from '../../src/db/store.js';
import { batch, event } from '../helpers.js';
import { type ContractContext } from './context.js';

/** Store contract: drill-down. */
export function drillDownContract({ fresh }: ContractContext): void {
  describe('drill-down', () => {
    const day = { from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 2, 2) };
    const at = (hour: number, minute = 0) => day.from + hour * 3_600_000 + minute * 60_000;
    let store: Store;
    let siteId = '';

    beforeEach(async () => {
      store = await fresh();
      siteId = (await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' })).site.id;
      await store.ingestBatch(
        siteId,
        batch([
          // Sampled at 10%: each counts 10 times.
          event({ ts: at(1), ip: '203.0.113.7', path: '/', sampleRate: 0.1 }),
          event({ ts: at(1, 30), ip: '203.0.113.7', path: '/login', status: 404 }),
          event({
            ts: at(2),
            ip: '203.0.113.7',
            path: '/.env',
            status: 403,
            action: 'block',
            rule: 'probe-env',
            ua: 'sqlmap/1.7',
            botCategory: 'scanner',
            botName: 'sqlmap',
          }),
          event({
            ts: at(2, 1),
            ip: '203.0.113.7',
            path: '/.env',
            status: 200,
            action: 'count',
            rule: 'probe-env',
            ua: 'sqlmap/1.7',
            botCategory: 'scanner',
            botName: 'sqlmap',
          }),
          event({ ts: at(3), ip: '198.51.100.1', country: null, path: '/login', status: 503 }),
          // Outside the day, and another site's traffic: never counted.
          event({ ts: day.to, ip: '203.0.113.7' }),
        ]),
      );
      const other = (await store.createSite({ name: 'other', timeZone: 'UTC', homeCountry: null })).site.id;
      await store.ingestBatch(
        other,
        batch([event({ ts: at(1), ip: '203.0.113.7', ua: 'sqlmap/1.7', botCategory: 'scanner', botName: 'sqlmap' })]),
      );
    });

    const summary = (filter: SliceFilter, groupBy: SliceGroupBy[] = [], limit = 10) =>
      store.sliceSummary(siteId, filter, day, { bucketMs: 3_600_000, groupBy, limit });

    it('slices one bot by name, within the site, with its categories and decisions', async () => {
      const bot = await summary({ botName: 'sqlmap' }, ['bot', 'decision', 'ip']);
      expect(bot.totals).toEqual({ requests: 2, blocked: 1, counted: 1, errors4xx: 1, errors5xx: 0 });
      expect(bot.groups.bot).toEqual([
        { key: 'scanner', extra: null, requests: 2, blocked: 1, counted: 1, errors4xx: 1, errors5xx: 0 },
      ]);
      expect(bot.groups.ip?.map((g) => g.key)).toEqual(['203.0.113.7']);
      expect((await summary({ botName: 'Googlebot' })).totals.requests).toBe(0);
    });

    it("slices a bot's own traffic, without the impersonators that claimed its name", async () => {
      const site = (await store.createSite({ name: 'crawled', timeZone: 'UTC', homeCountry: null })).site.id;
      const googlebot = { ua: 'Googlebot/2.1', botName: 'Googlebot' };
      await store.ingestBatch(
        site,
        batch([
          event({ ts: at(1), ip: '66.249.66.1', botCategory: 'search-engine', ...googlebot }),
          event({ ts: at(2), ip: '203.0.113.9', botCategory: 'impersonator', action: 'block', ...googlebot }),
        ]),
      );
      const own = await store.sliceSummary(site, { botName: 'Googlebot' }, day, {
        bucketMs: 3_600_000,
        groupBy: ['ip'],
        limit: 10,
      });
      expect(own.totals.requests).toBe(1);
      expect(own.groups.ip?.map((g) => g.key)).toEqual(['66.249.66.1']);
    });

    it('totals one IP, sample-weighted, within the range and the site', async () => {
      expect((await summary({ ip: '203.0.113.7' })).totals).toEqual({
        requests: 13,
        blocked: 1,
        counted: 1,
        errors4xx: 2,
        errors5xx: 0,
      });
      expect(await summary({ ip: '192.0.2.1' }, ['path'])).toEqual({
        totals: { requests: 0, blocked: 0, counted: 0, errors4xx: 0, errors5xx: 0 },
        timeline: [],
        groups: { path: [] },
      });
    });

    it.each([
      ['a path', { path: '/login' }, 2],
      ['a country', { country: 'JP' }, 13],
      ['the unknown country', { country: null }, 1],
    ])('filters by %s', async (_name, filter, requests) => {
      expect((await summary(filter)).totals.requests).toBe(requests);
    });

    it('buckets a timeline from the range start, in whole buckets', async () => {
      const { timeline } = await summary({ ip: '203.0.113.7' });
      expect(timeline.map((b) => [b.index, b.requests, b.blocked])).toEqual([
        [1, 11, 0],
        [2, 2, 1],
      ]);
      await expect(
        store.sliceSummary(siteId, { ip: '203.0.113.7' }, day, { bucketMs: 0, groupBy: [], limit: 1 }),
      ).rejects.toThrow(TypeError);
      await expect(
        store.sliceSummary(siteId, { ip: '203.0.113.7' }, day, { bucketMs: 1, groupBy: ['nope' as 'ip'], limit: 1 }),
      ).rejects.toThrow(TypeError);
    });

    it.each([
      [
        'path',
        [
          ['/', 10],
          ['/.env', 2],
          ['/login', 1],
        ],
      ],
      [
        'status',
        [
          ['200', 11],
          ['403', 1],
          ['404', 1],
        ],
      ],
      [
        'ua',
        [
          ['Mozilla/5.0', 11],
          ['sqlmap/1.7', 2],
        ],
      ],
      [
        'bot',
        [
          [null, 11],
          ['scanner', 2],
        ],
      ],
    ] as const)('groups one IP by %s, most requests first', async (groupBy, expected) => {
      const { groups } = await summary({ ip: '203.0.113.7' }, [groupBy]);
      expect(groups[groupBy]?.map((r) => [r.key, r.requests])).toEqual(expected);
    });

    it('groups decisions by action and rule, IPs with their country, and honours the limit', async () => {
      const { groups } = await summary({ ip: '203.0.113.7' }, ['decision', 'ua']);
      expect(groups.decision?.map((r) => [r.key, r.extra, r.requests])).toEqual([
        ['allow', null, 11],
        ['block', 'probe-env', 1],
        ['count', 'probe-env', 1],
      ]);
      expect(groups.ua?.find((r) => r.key === 'sqlmap/1.7')?.extra).toBe('scanner');
      const byPath = await summary({ path: '/login' }, ['ip']);
      expect(byPath.groups.ip?.map((r) => [r.key, r.extra, r.errors4xx, r.errors5xx])).toEqual([
        ['198.51.100.1', null, 0, 1],
        ['203.0.113.7', 'JP', 1, 0],
      ]);
      expect((await summary({ path: '/login' }, ['ip'], 1)).groups.ip).toHaveLength(1);
      expect((await summary({ country: 'JP' }, ['path', 'status', 'bot', 'country'])).groups.country).toEqual([
        { key: 'JP', extra: null, requests: 13, blocked: 1, counted: 1, errors4xx: 2, errors5xx: 0 },
      ]);
    });
  });
}
