import { afterEach, describe, expect, it } from 'vitest';
import { batch, event, tempStore } from '../../../test/helpers.js';

const T = Date.UTC(2026, 2, 1, 12);
let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

describe('sqlite store', () => {
  it('stores keys hashed and resolves them to site and role', async () => {
    t = tempStore();
    const { site, ingestKey, adminKey } = await t.store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    expect(await t.store.resolveKey(ingestKey)).toMatchObject({ site: { id: site.id }, role: 'ingest' });
    expect(await t.store.resolveKey(adminKey)).toMatchObject({ role: 'admin' });
    expect(await t.store.resolveKey(adminKey + 'x')).toBeNull();
    const hashes = t.store.db.prepare('SELECT hash FROM api_keys').all() as Array<{ hash: string }>;
    expect(hashes.map((h) => h.hash)).not.toContain(ingestKey);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h.hash))).toBe(true);
    expect(await t.store.listSites()).toEqual([site]);
  });

  it('stores a batch once and keeps batch ids per site', async () => {
    t = tempStore();
    const a = await t.store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
    const b = await t.store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
    const sent = batch([event(), event({ ip: '198.51.100.1' })]);
    expect(await t.store.ingestBatch(a.site.id, sent)).toEqual({ accepted: 2, duplicate: false });
    expect(await t.store.ingestBatch(a.site.id, sent)).toEqual({ accepted: 0, duplicate: true });
    // The same batch id at another site is that site's own batch.
    expect(await t.store.ingestBatch(b.site.id, sent)).toEqual({ accepted: 2, duplicate: false });
    const all = await t.store.listEvents(a.site.id, { from: 0, to: T * 2, limit: 100 });
    expect(all).toHaveLength(2);
    const buckets = await t.store.trafficBuckets(a.site.id, 0, T * 2);
    expect(buckets.reduce((s, x) => s + x.requests, 0)).toBe(2);
  });

  it('group commit: batches written together stay atomic each; a failing batch rolls back alone and can be retried', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const good1 = batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.1' })]);
    // A NOT NULL violation inside SQLite, past validation: the second event fails after the first was inserted.
    const broken = batch([event({ ip: '192.0.2.2' }), event({ ip: '192.0.2.2', method: null as unknown as string })]);
    const good2 = batch([event({ ip: '192.0.2.3' })]);
    const settled = await Promise.allSettled([t.store.ingestBatch(site.id, good1), t.store.ingestBatch(site.id, broken), t.store.ingestBatch(site.id, good2)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const ips = async () => (await t.store.listEvents(site.id, { from: 0, to: T * 2, limit: 100 })).map((e) => e.ip).sort();
    expect(await ips()).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.3']);
    expect((await t.store.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 10 })).map((r) => r.key).sort()).toEqual(['192.0.2.1', '192.0.2.3']);
    // Nothing of the failed batch was kept, not even its id: the fixed batch is stored, not a duplicate.
    const fixed = { ...broken, events: [event({ ip: '192.0.2.2' }), event({ ip: '192.0.2.2' })] };
    expect(await t.store.ingestBatch(site.id, fixed)).toEqual({ accepted: 2, duplicate: false });
    expect(await ips()).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.2', '192.0.2.2', '192.0.2.3']);
  });

  it('group commit: close() writes batches still waiting, and their promises resolve', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const pending = t.store.ingestBatch(site.id, batch([event()]));
    await t.store.close();
    expect(await pending).toEqual({ accepted: 1, duplicate: false });
    const reopened = (await import('./open.js')).openSqliteStore({ path: t.path });
    expect(await reopened.listEvents(site.id, { from: 0, to: T * 2, limit: 10 })).toHaveLength(1);
    await reopened.close();
  });

  it('weights rollups by 1/sampleRate and files them under the site-local day', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 'tokyo', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    // 16:00 UTC on 1 March is 01:00 on 2 March in Tokyo.
    const late = Date.UTC(2026, 2, 1, 16);
    await t.store.ingestBatch(site.id, batch([
      event({ ts: late, sampleRate: 0.1 }),
      event({ ts: late, status: 404, action: 'block', rule: 'probe-dotenv', path: '/.env', botCategory: 'scanner' }),
    ]));
    expect(await t.store.countDimension(site.id, '2026-03-01', 'ip')).toBe(0);
    const [ip] = await t.store.topDimension(site.id, '2026-03-02', 'ip', { orderBy: 'requests', limit: 5 });
    expect(ip).toMatchObject({ key: '203.0.113.7', extra: 'JP', requests: 11, blocked: 1, s4xx: 1, s2xx: 10, probes: 1, scanner: 1 });
    const [bucket] = await t.store.trafficBuckets(site.id, late, late + 1);
    expect(bucket).toMatchObject({ start: late, requests: 11 });
    const [window] = await t.store.errorWindows(site.id, late, late + 30_000, 1);
    expect(window).toEqual({ start: late, errors: 1 });
    expect(await t.store.errorWindowIps(site.id, late, 5)).toEqual([{ ip: '203.0.113.7', errors: 1 }]);
    expect(await t.store.getDimensionRows(site.id, '2026-03-02', 'ip', ['203.0.113.7', '192.0.2.1'])).toHaveLength(1);
  });

  it('lists raw events newest first with filters and a limit', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    await t.store.ingestBatch(site.id, batch([
      event({ ts: T, ip: '192.0.2.1', country: null }),
      event({ ts: T + 1, ip: '192.0.2.2', path: '/a' }),
      event({ ts: T + 2, ip: '192.0.2.2', path: '/b' }),
    ]));
    expect((await t.store.listEvents(site.id, { from: T, to: T + 10, ip: '192.0.2.2', limit: 10 })).map((e) => e.path)).toEqual(['/b', '/a']);
    expect(await t.store.listEvents(site.id, { from: T, to: T + 10, country: null, limit: 10 })).toHaveLength(1);
    expect(await t.store.listEvents(site.id, { from: T, to: T + 10, path: '/a', limit: 10 })).toHaveLength(1);
    expect(await t.store.listEvents(site.id, { from: T, to: T + 10, limit: 2 })).toHaveLength(2);
    expect(await t.store.listEvents(site.id, { from: T + 1, to: T + 2, limit: 10 })).toHaveLength(1);
  });

  it('finds one IP\'s events across minutes through the per-minute index, exact at the range edges', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const ip = '198.51.100.7';
    const times = [T - 1, T, T + 59_999, T + 60_000, T + 3 * 3_600_000];
    await t.store.ingestBatch(site.id, batch([...times.map((ts) => event({ ts, ip })), event({ ts: T + 1, ip: '192.0.2.1' })]));
    const list = (from: number, to: number) => t.store.listEvents(site.id, { from, to, ip, limit: 100 }).then((rows) => rows.map((r) => r.ts));
    expect(await list(T + 1, T + 60_001)).toEqual([T + 60_000, T + 59_999]);
    expect(await list(0, Date.UTC(2030, 0))).toEqual([...times].reverse());
    expect(await list(T + 4 * 3_600_000, Date.UTC(2030, 0))).toEqual([]);
    const slice = await t.store.sliceSummary(site.id, { ip }, { from: T, to: T + 3_600_000 }, { bucketMs: 60_000, groupBy: ['ip'], limit: 5 });
    expect(slice.totals.requests).toBe(3);
    expect(slice.timeline.map((b) => [b.index, b.requests])).toEqual([[0, 2], [1, 1]]);
  });

  it('purges raw events past retention and keeps rollups', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    await t.store.ingestBatch(site.id, batch([event({ ts: T - 1000, status: 500 }), event({ ts: T + 1000 })]));
    expect(await t.store.purgeBefore(T)).toEqual({ events: 1 });
    expect(await t.store.listEvents(site.id, { from: 0, to: T * 2, limit: 10 })).toHaveLength(1);
    expect(await t.store.countDimension(site.id, '2026-03-01', 'ip')).toBe(1);
    expect(await t.store.errorWindows(site.id, 0, T * 2, 1)).toHaveLength(1);
  });

  it('keeps import batch ids past retention, so a re-import is still a duplicate', async () => {
    let clock = T;
    t = tempStore(() => clock);
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const imported = { ...batch([event({ ts: T - 1000 })]), batchId: 'any-id-of-an-import', source: 'import' as const };
    const live = batch([event({ ts: T - 1000 })]);
    await t.store.ingestBatch(site.id, imported);
    await t.store.ingestBatch(site.id, live);
    clock = T + 40 * 86_400_000;
    await t.store.purgeBefore(T + 1000);
    expect(await t.store.ingestBatch(site.id, imported)).toEqual({ accepted: 0, duplicate: true });
    // A live batch id is forgotten with its events (the retention of idempotency is the raw-event window).
    expect(await t.store.ingestBatch(site.id, live)).toEqual({ accepted: 1, duplicate: false });
  });

  it('hides expired deny entries and scopes removal to the site', async () => {
    t = tempStore();
    const a = await t.store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
    const b = await t.store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
    const keep = await t.store.addDenyEntry(a.site.id, { value: '192.0.2.0/24', reason: 'x', source: 'manual', expiresAt: null }, T);
    await t.store.addDenyEntry(a.site.id, { value: '192.0.2.9', reason: 'y', source: 'auto', expiresAt: T + 60_000 }, T);
    expect(await t.store.listDenyEntries(a.site.id, T)).toHaveLength(2);
    expect(await t.store.listDenyEntries(a.site.id, T + 60_000)).toEqual([keep]);
    expect(await t.store.listDenyEntries(b.site.id, T)).toEqual([]);
    expect(await t.store.removeDenyEntry(b.site.id, keep.id)).toBe(false);
    expect(await t.store.removeDenyEntry(a.site.id, keep.id)).toBe(true);
  });
});
