import { describe, expect, it } from 'vitest';
import { batch, event } from '../helpers.js';
import { T, type ContractContext } from './context.js';

/** Store contract: raw events and retention. */
export function rawEventsContract({ fresh }: ContractContext): void {
  describe('raw events and retention', () => {
    it('lists raw events newest first with filters and a limit', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      await store.ingestBatch(
        site.id,
        batch([
          event({ ts: T, ip: '192.0.2.1', country: null }),
          event({ ts: T + 1, ip: '192.0.2.2', path: '/a' }),
          event({ ts: T + 2, ip: '192.0.2.2', path: '/b' }),
        ]),
      );
      expect(
        (await store.listEvents(site.id, { from: T, to: T + 10, ip: '192.0.2.2', limit: 10 })).map((e) => e.path),
      ).toEqual(['/b', '/a']);
      expect(await store.listEvents(site.id, { from: T, to: T + 10, country: null, limit: 10 })).toHaveLength(1);
      expect(
        await store.listEvents(site.id, { from: T, to: T + 10, country: 'JP', path: '/a', limit: 10 }),
      ).toHaveLength(1);
      expect(await store.listEvents(site.id, { from: T, to: T + 10, path: '/a', limit: 10 })).toHaveLength(1);
      expect(await store.listEvents(site.id, { from: T, to: T + 10, limit: 2 })).toHaveLength(2);
      expect(await store.listEvents(site.id, { from: T + 1, to: T + 2, limit: 10 })).toHaveLength(1);
    });

    it('stores every field exactly as given: escapes, quotes, markup, tabs and line breaks', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      // What PostgreSQL's COPY text format gives a meaning (\N, backslashes, tab, line feed, carriage
      // return) and what SQL and pages do; ingest refuses control characters, the store must not rely on it.
      const hostile = [
        '\\N',
        '\\',
        '/a\\tb\\nc\\\\d',
        'tab\there',
        'line\nbreak\r\nend',
        "'; DROP TABLE events; --",
        '<script>alert(1)</script> **bold** <@U123> |pipe|',
        '\u{1F600} \u00e9\u4e2d',
        'x'.repeat(2048),
      ];
      const sent = hostile.map((text, i) =>
        event({
          ts: T + i,
          path: text,
          ua: text,
          host: text,
          rule: text,
          botName: text,
          country: i % 2 === 0 ? null : 'JP',
          latencyMs: 0.1 + i,
          sampleRate: i === 0 ? 0.001 : 1,
          asn: i === 1 ? 4_294_967_295 : null,
          login: i === 2 ? { outcome: 'failed', account: text } : undefined,
        }),
      );
      await store.ingestBatch(site.id, batch(sent));
      const stored = (await store.listEvents(site.id, { from: T, to: T + 100, limit: 100 })).reverse();
      expect(stored.map(({ id: _id, siteId: _siteId, ...rest }) => rest)).toEqual(
        sent.map(({ login, ...rest }) => ({ ...rest, ...(login ? { login } : {}) })),
      );
    });

    it("finds one IP's events across minutes, exact at the range edges", async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const ip = '198.51.100.7';
      const times = [T - 1, T, T + 59_999, T + 60_000, T + 3 * 3_600_000];
      await store.ingestBatch(
        site.id,
        batch([...times.map((ts) => event({ ts, ip })), event({ ts: T + 1, ip: '192.0.2.1' })]),
      );
      const list = (from: number, to: number) =>
        store.listEvents(site.id, { from, to, ip, limit: 100 }).then((rows) => rows.map((r) => r.ts));
      expect(await list(T + 1, T + 60_001)).toEqual([T + 60_000, T + 59_999]);
      expect(await list(0, Date.UTC(2030, 0))).toEqual([...times].reverse());
      expect(await list(T + 4 * 3_600_000, Date.UTC(2030, 0))).toEqual([]);
      const slice = await store.sliceSummary(
        site.id,
        { ip },
        { from: T, to: T + 3_600_000 },
        { bucketMs: 60_000, groupBy: ['ip'], limit: 5 },
      );
      expect(slice.totals.requests).toBe(3);
      expect(slice.timeline.map((b) => [b.index, b.requests])).toEqual([
        [0, 2],
        [1, 1],
      ]);
    });

    it('purges raw events past retention, of every site, and keeps rollups', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const other = await store.createSite({ name: 'o', timeZone: 'UTC', homeCountry: null });
      await store.ingestBatch(site.id, batch([event({ ts: T - 1000, status: 500 }), event({ ts: T + 1000 })]));
      await store.ingestBatch(other.site.id, batch([event({ ts: T - 5000 })]));
      expect(await store.purgeBefore(T)).toEqual({ events: 2 });
      expect(await store.listEvents(site.id, { from: 0, to: T * 2, limit: 10 })).toHaveLength(1);
      expect(await store.listEvents(other.site.id, { from: 0, to: T * 2, limit: 10 })).toEqual([]);
      expect(await store.countDimension(site.id, '2026-03-01', 'ip')).toBe(1);
      expect(await store.errorBuckets(site.id, 0, T * 2)).toEqual([{ start: T - 5_000, errors: 1 }]);
      // Per-IP burst buckets go with the raw events.
      expect(await store.ipErrorPeaks(site.id, 0, T * 2, 5)).toEqual([]);
      expect(await store.purgeBefore(T)).toEqual({ events: 0 });
    });

    it('keeps import batch ids past retention, so a re-import is still a duplicate', async () => {
      let clock = T;
      const store = await fresh(() => clock);
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const imported = {
        ...batch([event({ ts: T - 1000 })]),
        batchId: 'any-id-of-an-import',
        source: 'import' as const,
      };
      const live = batch([event({ ts: T - 1000 })]);
      await store.ingestBatch(site.id, imported);
      await store.ingestBatch(site.id, live);
      clock = T + 40 * 86_400_000;
      await store.purgeBefore(T + 1000);
      expect(await store.ingestBatch(site.id, imported)).toEqual({ accepted: 0, duplicate: true });
      // A live batch id is forgotten with its events (the retention of idempotency is the raw-event window).
      expect(await store.ingestBatch(site.id, live)).toEqual({ accepted: 1, duplicate: false });
    });
  });
}
