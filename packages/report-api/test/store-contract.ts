import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import type { SliceFilter, SliceGroupBy } from '../src/db/drilldown.js';
import type { Store } from '../src/db/store.js';
import { batch, event, post } from './helpers.js';

/** A store under test and how to get rid of it. */
export interface StoreHarness {
  store: Store;
  /** Opens another store on the same database (closed by `cleanup`). */
  reopen(): Promise<Store>;
  /** Closes every store opened here and deletes the database. */
  cleanup(): Promise<void>;
}

/** Makes a fresh, empty store; `now` is its clock for created-at and received-at stamps. */
export type StoreFactory = (now?: () => number) => Promise<StoreHarness>;

const T = Date.UTC(2026, 2, 1, 12);

/**
 * The behaviour every `Store` must have, whatever keeps the data: run inside a `describe` of each
 * store's test file with that store's factory. Store-specific checks (how keys are stored, group
 * commit, several instances on one database) stay in the store's own tests.
 *
 * @example
 * describe('sqlite store', () => storeContract(async (now) => { const t = tempStore(now); return { store: t.store, reopen: ..., cleanup: t.cleanup }; }));
 */
export function storeContract(factory: StoreFactory): void {
  let h: StoreHarness | undefined;
  const fresh = async (now?: () => number) => (h = await factory(now)).store;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  describe('sites and keys', () => {
    it('resolves keys to their site and role, and nothing else', async () => {
      const store = await fresh();
      const { site, ingestKey, adminKey } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
      expect(site).toMatchObject({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP', id: expect.stringMatching(/^site_/) });
      expect(await store.resolveKey(ingestKey)).toEqual({ site, role: 'ingest' });
      expect(await store.resolveKey(adminKey)).toEqual({ site, role: 'admin' });
      expect(await store.resolveKey(adminKey + 'x')).toBeNull();
      expect(await store.resolveKey('')).toBeNull();
      expect(await store.listSites()).toEqual([site]);
      expect(await store.getSite(site.id)).toEqual(site);
      expect(await store.getSite('site_missing')).toBeNull();
    });

    it('keeps the first value of a setting, also when two callers create it at once', async () => {
      const store = await fresh();
      const [a, b] = await Promise.all([store.settingOrCreate('dashboard.sessionSecret', () => 'first'), store.settingOrCreate('dashboard.sessionSecret', () => 'second')]);
      expect(a).toBe(b);
      expect(await store.settingOrCreate('dashboard.sessionSecret', () => 'third')).toBe(a);
    });
  });

  describe('ingest', () => {
    it('stores a batch once and keeps batch ids per site', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const sent = batch([event(), event({ ip: '198.51.100.1' })]);
      expect(await store.ingestBatch(a.site.id, sent)).toEqual({ accepted: 2, duplicate: false });
      expect(await store.ingestBatch(a.site.id, sent)).toEqual({ accepted: 0, duplicate: true });
      // The same batch id at another site is that site's own batch.
      expect(await store.ingestBatch(b.site.id, sent)).toEqual({ accepted: 2, duplicate: false });
      expect(await store.listEvents(a.site.id, { from: 0, to: T * 2, limit: 100 })).toHaveLength(2);
      const buckets = await store.trafficBuckets(a.site.id, 0, T * 2);
      expect(buckets.reduce((s, x) => s + x.requests, 0)).toBe(2);
    });

    it('stores a batch sent five times at once exactly once, rollups included', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const sent = batch([event(), event({ status: 503 })]);
      const answers = await Promise.all(Array.from({ length: 5 }, () => store.ingestBatch(site.id, sent)));
      expect(answers.filter((a) => !a.duplicate)).toEqual([{ accepted: 2, duplicate: false }]);
      expect(await store.listEvents(site.id, { from: 0, to: T * 2, limit: 100 })).toHaveLength(2);
      expect((await store.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 5 }))[0]).toMatchObject({ requests: 2, s5xx: 1 });
    });

    it('refuses a batch for an unknown site', async () => {
      const store = await fresh();
      await expect(store.ingestBatch('site_missing', batch([event()]))).rejects.toThrow(/unknown site/);
    });

    it('keeps each batch atomic: a failing one rolls back alone, id included, and can be retried', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const good1 = batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.1' })]);
      // A NOT NULL violation inside the database, past validation: the second event fails after the first.
      const broken = batch([event({ ip: '192.0.2.2' }), event({ ip: '192.0.2.2', method: null as unknown as string })]);
      const good2 = batch([event({ ip: '192.0.2.3' })]);
      const settled = await Promise.allSettled([store.ingestBatch(site.id, good1), store.ingestBatch(site.id, broken), store.ingestBatch(site.id, good2)]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const ips = async () => (await store.listEvents(site.id, { from: 0, to: T * 2, limit: 100 })).map((e) => e.ip).sort();
      expect(await ips()).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.3']);
      expect((await store.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 10 })).map((r) => r.key).sort()).toEqual(['192.0.2.1', '192.0.2.3']);
      const fixed = { ...broken, events: [event({ ip: '192.0.2.2' }), event({ ip: '192.0.2.2' })] };
      expect(await store.ingestBatch(site.id, fixed)).toEqual({ accepted: 2, duplicate: false });
      expect(await ips()).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.2', '192.0.2.2', '192.0.2.3']);
    });

    it('finishes an ingest in flight when closed: the promise resolves and the data is there after reopening', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const pending = store.ingestBatch(site.id, batch([event()]));
      await store.close();
      expect(await pending).toEqual({ accepted: 1, duplicate: false });
      const reopened = await h!.reopen();
      expect(await reopened.listEvents(site.id, { from: 0, to: T * 2, limit: 10 })).toHaveLength(1);
    });

    it('keeps every event field as sent, asn included', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const sent = event({ ts: T, ip: '2001:db8::1', country: null, method: 'POST', host: 'h.example', path: '/a?', status: 0, latencyMs: 12.5, ua: 'curl/8', action: 'count', rule: 'probe-x', botCategory: 'http-client', sampleRate: 0.25, asn: 4_200_000_000 });
      await store.ingestBatch(site.id, batch([sent, event({ ts: T + 1 })]));
      const [, stored] = await store.listEvents(site.id, { from: 0, to: T * 2, limit: 10 });
      expect(stored).toEqual({ ...sent, id: expect.any(Number), siteId: site.id });
      const [latest] = await store.listEvents(site.id, { from: 0, to: T * 2, limit: 1 });
      expect(latest).toMatchObject({ ts: T + 1, asn: null });
    });
  });

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

  describe('raw events and retention', () => {
    it('lists raw events newest first with filters and a limit', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      await store.ingestBatch(site.id, batch([
        event({ ts: T, ip: '192.0.2.1', country: null }),
        event({ ts: T + 1, ip: '192.0.2.2', path: '/a' }),
        event({ ts: T + 2, ip: '192.0.2.2', path: '/b' }),
      ]));
      expect((await store.listEvents(site.id, { from: T, to: T + 10, ip: '192.0.2.2', limit: 10 })).map((e) => e.path)).toEqual(['/b', '/a']);
      expect(await store.listEvents(site.id, { from: T, to: T + 10, country: null, limit: 10 })).toHaveLength(1);
      expect(await store.listEvents(site.id, { from: T, to: T + 10, country: 'JP', path: '/a', limit: 10 })).toHaveLength(1);
      expect(await store.listEvents(site.id, { from: T, to: T + 10, path: '/a', limit: 10 })).toHaveLength(1);
      expect(await store.listEvents(site.id, { from: T, to: T + 10, limit: 2 })).toHaveLength(2);
      expect(await store.listEvents(site.id, { from: T + 1, to: T + 2, limit: 10 })).toHaveLength(1);
    });

    it('finds one IP\'s events across minutes, exact at the range edges', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const ip = '198.51.100.7';
      const times = [T - 1, T, T + 59_999, T + 60_000, T + 3 * 3_600_000];
      await store.ingestBatch(site.id, batch([...times.map((ts) => event({ ts, ip })), event({ ts: T + 1, ip: '192.0.2.1' })]));
      const list = (from: number, to: number) => store.listEvents(site.id, { from, to, ip, limit: 100 }).then((rows) => rows.map((r) => r.ts));
      expect(await list(T + 1, T + 60_001)).toEqual([T + 60_000, T + 59_999]);
      expect(await list(0, Date.UTC(2030, 0))).toEqual([...times].reverse());
      expect(await list(T + 4 * 3_600_000, Date.UTC(2030, 0))).toEqual([]);
      const slice = await store.sliceSummary(site.id, { ip }, { from: T, to: T + 3_600_000 }, { bucketMs: 60_000, groupBy: ['ip'], limit: 5 });
      expect(slice.totals.requests).toBe(3);
      expect(slice.timeline.map((b) => [b.index, b.requests])).toEqual([[0, 2], [1, 1]]);
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
      expect(await store.errorWindows(site.id, 0, T * 2, 1)).toHaveLength(1);
      // Per-IP burst buckets go with the raw events.
      expect(await store.errorWindowIps(site.id, T - 30_000, 5)).toEqual([]);
      expect(await store.purgeBefore(T)).toEqual({ events: 0 });
    });

    it('keeps import batch ids past retention, so a re-import is still a duplicate', async () => {
      let clock = T;
      const store = await fresh(() => clock);
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const imported = { ...batch([event({ ts: T - 1000 })]), batchId: 'any-id-of-an-import', source: 'import' as const };
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

  describe('leases', () => {
    it('one holder at a time: renewed by its holder, taken over only once expired, dropped by purge', async () => {
      const store = await fresh();
      expect(await store.claimLease('alerts:monitor', 'a', T + 30_000, T)).toBe(true);
      expect(await store.claimLease('alerts:monitor', 'b', T + 40_000, T + 10_000)).toBe(false);
      expect(await store.claimLease('alerts:monitor', 'a', T + 50_000, T + 20_000)).toBe(true);
      // Still a's until T + 50 s, then anyone's.
      expect(await store.claimLease('alerts:monitor', 'b', T + 80_000, T + 49_999)).toBe(false);
      expect(await store.claimLease('alerts:monitor', 'b', T + 80_000, T + 50_000)).toBe(true);
      expect(await store.claimLease('alerts:monitor', 'a', T + 90_000, T + 60_000)).toBe(false);
      // Names are independent; of claims at the same moment exactly one wins.
      const claims = await Promise.all(['x', 'y', 'z'].map((holder) => store.claimLease('report:s:2026-03-01', holder, T + 86_400_000, T)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      await store.purgeBefore(T + 100_000);
      expect(await store.claimLease('alerts:monitor', 'a', T + 200_000, T + 100_000)).toBe(true);
      expect(await store.claimLease('report:s:2026-03-01', 'other', T + 86_400_000, T + 100_000)).toBe(false);
    });
  });

  describe('deny list', () => {
    it('hides expired entries and scopes listing and removal to the site', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const keep = await store.addDenyEntry(a.site.id, { value: '192.0.2.0/24', reason: 'x', source: 'manual', expiresAt: null }, T);
      expect(keep).toEqual({ id: expect.stringMatching(/^deny_/), value: '192.0.2.0/24', reason: 'x', source: 'manual', expiresAt: null, createdAt: T });
      const later = await store.addDenyEntry(a.site.id, { value: '192.0.2.9', reason: 'y', source: 'auto', expiresAt: T + 60_000 }, T + 1);
      expect(await store.listDenyEntries(a.site.id, T)).toEqual([keep, later]);
      expect(await store.listDenyEntries(a.site.id, T + 60_000)).toEqual([keep]);
      expect(await store.listDenyEntries(b.site.id, T)).toEqual([]);
      expect(await store.removeDenyEntry(b.site.id, keep.id)).toBe(false);
      expect(await store.removeDenyEntry(a.site.id, keep.id)).toBe(true);
      expect(await store.removeDenyEntry(a.site.id, keep.id)).toBe(false);
    });
  });

  describe('drill-down', () => {
    const day = { from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 2, 2) };
    const at = (hour: number, minute = 0) => day.from + hour * 3_600_000 + minute * 60_000;
    let store: Store;
    let siteId = '';

    beforeEach(async () => {
      store = await fresh();
      siteId = (await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' })).site.id;
      await store.ingestBatch(siteId, batch([
        // Sampled at 10%: each counts 10 times.
        event({ ts: at(1), ip: '203.0.113.7', path: '/', sampleRate: 0.1 }),
        event({ ts: at(1, 30), ip: '203.0.113.7', path: '/login', status: 404 }),
        event({ ts: at(2), ip: '203.0.113.7', path: '/.env', status: 403, action: 'block', rule: 'probe-env', ua: 'sqlmap/1.7', botCategory: 'scanner' }),
        event({ ts: at(2, 1), ip: '203.0.113.7', path: '/.env', status: 200, action: 'count', rule: 'probe-env', ua: 'sqlmap/1.7', botCategory: 'scanner' }),
        event({ ts: at(3), ip: '198.51.100.1', country: null, path: '/login', status: 503 }),
        // Outside the day, and another site's traffic: never counted.
        event({ ts: day.to, ip: '203.0.113.7' }),
      ]));
      const other = (await store.createSite({ name: 'other', timeZone: 'UTC', homeCountry: null })).site.id;
      await store.ingestBatch(other, batch([event({ ts: at(1), ip: '203.0.113.7' })]));
    });

    const summary = (filter: SliceFilter, groupBy: SliceGroupBy[] = [], limit = 10) => store.sliceSummary(siteId, filter, day, { bucketMs: 3_600_000, groupBy, limit });

    it('totals one IP, sample-weighted, within the range and the site', async () => {
      expect((await summary({ ip: '203.0.113.7' })).totals).toEqual({ requests: 13, blocked: 1, counted: 1, errors4xx: 2, errors5xx: 0 });
      expect(await summary({ ip: '192.0.2.1' }, ['path'])).toEqual({ totals: { requests: 0, blocked: 0, counted: 0, errors4xx: 0, errors5xx: 0 }, timeline: [], groups: { path: [] } });
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
      expect(timeline.map((b) => [b.index, b.requests, b.blocked])).toEqual([[1, 11, 0], [2, 2, 1]]);
      await expect(store.sliceSummary(siteId, { ip: '203.0.113.7' }, day, { bucketMs: 0, groupBy: [], limit: 1 })).rejects.toThrow(TypeError);
      await expect(store.sliceSummary(siteId, { ip: '203.0.113.7' }, day, { bucketMs: 1, groupBy: ['nope' as 'ip'], limit: 1 })).rejects.toThrow(TypeError);
    });

    it.each([
      ['path', [['/', 10], ['/.env', 2], ['/login', 1]]],
      ['status', [['200', 11], ['403', 1], ['404', 1]]],
      ['ua', [['Mozilla/5.0', 11], ['sqlmap/1.7', 2]]],
      ['bot', [[null, 11], ['scanner', 2]]],
    ] as const)('groups one IP by %s, most requests first', async (groupBy, expected) => {
      const { groups } = await summary({ ip: '203.0.113.7' }, [groupBy]);
      expect(groups[groupBy]?.map((r) => [r.key, r.requests])).toEqual(expected);
    });

    it('groups decisions by action and rule, IPs with their country, and honours the limit', async () => {
      const { groups } = await summary({ ip: '203.0.113.7' }, ['decision', 'ua']);
      expect(groups.decision?.map((r) => [r.key, r.extra, r.requests])).toEqual([['allow', null, 11], ['block', 'probe-env', 1], ['count', 'probe-env', 1]]);
      expect(groups.ua?.find((r) => r.key === 'sqlmap/1.7')?.extra).toBe('scanner');
      const byPath = await summary({ path: '/login' }, ['ip']);
      expect(byPath.groups.ip?.map((r) => [r.key, r.extra, r.errors4xx, r.errors5xx])).toEqual([['198.51.100.1', null, 0, 1], ['203.0.113.7', 'JP', 1, 0]]);
      expect((await summary({ path: '/login' }, ['ip'], 1)).groups.ip).toHaveLength(1);
      expect((await summary({ country: 'JP' }, ['path', 'status', 'bot', 'country'])).groups.country).toEqual([{ key: 'JP', extra: null, requests: 13, blocked: 1, counted: 1, errors4xx: 2, errors5xx: 0 }]);
    });
  });

  describe('alerts', () => {
    it('adds, lists and removes webhooks per site', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
      const { site: other } = await store.createSite({ name: 'blog', timeZone: 'UTC', homeCountry: null });
      const hook = await store.addWebhook(site.id, 'https://hooks.example/a', 1000);
      await store.addWebhook(other.id, 'https://hooks.example/b', 1000);
      expect(await store.listWebhooks(site.id)).toEqual([hook]);
      expect(await store.removeWebhook(other.id, hook.id)).toBe(false);
      expect(await store.removeWebhook(site.id, hook.id)).toBe(true);
      expect(await store.listWebhooks(site.id)).toEqual([]);
      expect(await store.listWebhooks(other.id)).toHaveLength(1);
    });

    it('settings default to 17:00 business days and update partially, per site', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
      const { site: other } = await store.createSite({ name: 'blog', timeZone: 'UTC', homeCountry: null });
      expect(await store.getAlertSettings(site.id)).toEqual({ reportTime: '17:00', businessDaysOnly: true });
      await store.setAlertSettings(site.id, { businessDaysOnly: false });
      expect(await store.setAlertSettings(site.id, { reportTime: '09:30' })).toEqual({ reportTime: '09:30', businessDaysOnly: false });
      expect(await store.getAlertSettings(site.id)).toEqual({ reportTime: '09:30', businessDaysOnly: false });
      expect(await store.getAlertSettings(other.id)).toEqual({ reportTime: '17:00', businessDaysOnly: true });
      await expect(store.setAlertSettings(site.id, { reportTime: '9am' })).rejects.toThrow(/9am/);
    });

    it('records deliveries and lists them newest first, per site, limited', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
      const base = { siteId: site.id, webhookId: 'hook_1', kind: 'burst' as const, httpStatus: 200, error: null, attempts: 1, durationMs: 12 };
      for (let i = 0; i < 5; i++) await store.recordDelivery({ ...base, summary: `m${i}`, status: 'delivered', at: 1000 + i });
      await store.recordDelivery({ ...base, summary: 'bad', status: 'failed', httpStatus: null, error: 'timed out', attempts: 4, at: 2000 });
      const latest = await store.listDeliveries(site.id, 3);
      expect(latest.map((d) => d.summary)).toEqual(['bad', 'm4', 'm3']);
      expect(latest[0]).toEqual({ ...base, id: expect.any(Number), summary: 'bad', status: 'failed', error: 'timed out', attempts: 4, httpStatus: null, at: 2000 });
      expect(await store.listDeliveries('site_other', 10)).toEqual([]);
    });

    it('finds clients refused by an automatic ban in a time range, earliest first', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
      const { site: other } = await store.createSite({ name: 'blog', timeZone: 'UTC', homeCountry: null });
      const banned = { status: 403, action: 'block' as const };
      await store.ingestBatch(site.id, batch([
        event({ ts: T + 5, ip: '192.0.2.2', ...banned, rule: 'deny-list:auto', sampleRate: 0.5 }),
        event({ ts: T + 1, ip: '192.0.2.1', ...banned, rule: 'ban' }),
        event({ ts: T + 2, ip: '192.0.2.1', ...banned, rule: 'ban' }),
        event({ ts: T + 3, ip: '192.0.2.3', ...banned, rule: 'probe-env' }),
        event({ ts: T + 100, ip: '192.0.2.4', ...banned, rule: 'ban' }),
      ]));
      await store.ingestBatch(other.id, batch([event({ ts: T, ip: '192.0.2.9', ...banned, rule: 'ban' })]));
      expect(await store.autoBannedClients(site.id, T, T + 100, 10)).toEqual([
        { ip: '192.0.2.1', firstSeen: T + 1, requests: 2, rule: 'ban' },
        { ip: '192.0.2.2', firstSeen: T + 5, requests: 2, rule: 'deny-list:auto' },
      ]);
      expect(await store.autoBannedClients(site.id, T, T + 100, 1)).toHaveLength(1);
    });
  });

  describe('tenancy through the HTTP API', () => {
    it('a key of one site never reads or writes another site\'s data', async () => {
      const store = await fresh();
      const app = createApp({ store, logError: () => undefined });
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: 'JP' });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: 'JP' });
      const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
      expect((await app.request('/v1/events', post(a.ingestKey, batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.1', status: 500 })])))).status).toBe(202);
      expect((await app.request('/v1/events', post(b.ingestKey, batch([event({ ip: '198.51.100.1' })])))).status).toBe(202);
      expect((await app.request('/v1/denylist', post(a.adminKey, { value: '192.0.2.1', reason: 'a only' }))).status).toBe(201);

      const report = async (key: string) => (await (await app.request('/v1/reports/daily?date=2026-03-01', auth(key))).json()) as { site: { id: string }; totals: { requests: number }; topIps: Array<{ ip: string }> };
      const ofA = await report(a.adminKey);
      const ofB = await report(b.adminKey);
      expect([ofA.site.id, ofA.totals.requests, ofA.topIps.map((r) => r.ip)]).toEqual([a.site.id, 2, ['192.0.2.1']]);
      expect([ofB.site.id, ofB.totals.requests, ofB.topIps.map((r) => r.ip)]).toEqual([b.site.id, 1, ['198.51.100.1']]);
      const denyOfB = (await (await app.request('/v1/denylist', auth(b.ingestKey))).json()) as { entries: unknown[] };
      expect(denyOfB.entries).toEqual([]);
      const denyOfA = (await (await app.request('/v1/denylist', auth(a.ingestKey))).json()) as { entries: Array<{ id: string }> };
      expect(denyOfA.entries).toHaveLength(1);
      // B's admin key cannot delete A's entry: it is not found for B.
      expect((await app.request(`/v1/denylist/${denyOfA.entries[0]!.id}`, { method: 'DELETE', ...auth(b.adminKey) })).status).toBe(404);
      expect(await store.listDenyEntries(a.site.id, Date.now())).toHaveLength(1);
    });
  });
}
