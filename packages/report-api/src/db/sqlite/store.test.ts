import { afterEach, describe, expect, it } from 'vitest';
import { batch, event, tempStore } from '../../../test/helpers.js';

const T = Date.UTC(2026, 2, 1, 12);
let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

describe('sqlite store (what only SQLite has; the shared behaviour is in test/store-contract/)', () => {
  it('stores keys hashed and resolves them to site and role', async () => {
    t = tempStore();
    const { site, ingestKey, adminKey } = await t.store.createSite({
      name: 'shop',
      timeZone: 'Asia/Tokyo',
      homeCountry: 'JP',
    });
    expect(await t.store.resolveKey(ingestKey)).toMatchObject({ site: { id: site.id }, role: 'ingest' });
    expect(await t.store.resolveKey(adminKey)).toMatchObject({ role: 'admin' });
    expect(await t.store.resolveKey(adminKey + 'x')).toBeNull();
    const hashes = t.store.db.prepare('SELECT hash FROM api_keys').all() as Array<{ hash: string }>;
    expect(hashes.map((h) => h.hash)).not.toContain(ingestKey);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h.hash))).toBe(true);
    expect(await t.store.listSites()).toEqual([site]);
  });

  it(
    'group commit: batches written together stay atomic each; a failing batch rolls back alone and can be ' + 'retried',
    async () => {
      t = tempStore();
      const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const good1 = batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.1' })]);
      // A NOT NULL violation inside SQLite, past validation: the second event fails after the first was inserted.
      const broken = batch([event({ ip: '192.0.2.2' }), event({ ip: '192.0.2.2', method: null as unknown as string })]);
      const good2 = batch([event({ ip: '192.0.2.3' })]);
      const settled = await Promise.allSettled([
        t.store.ingestBatch(site.id, good1),
        t.store.ingestBatch(site.id, broken),
        t.store.ingestBatch(site.id, good2),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const ips = async () =>
        (await t.store.listEvents(site.id, { from: 0, to: T * 2, limit: 100 })).map((e) => e.ip).sort();
      expect(await ips()).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.3']);
      expect(
        (await t.store.topDimension(site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 10 }))
          .map((r) => r.key)
          .sort(),
      ).toEqual(['192.0.2.1', '192.0.2.3']);
      // Nothing of the failed batch was kept, not even its id: the fixed batch is stored, not a duplicate.
      const fixed = { ...broken, events: [event({ ip: '192.0.2.2' }), event({ ip: '192.0.2.2' })] };
      expect(await t.store.ingestBatch(site.id, fixed)).toEqual({ accepted: 2, duplicate: false });
      expect(await ips()).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.2', '192.0.2.2', '192.0.2.3']);
    },
  );

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
});
