import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { LastAdminKeyError, MAX_KEYS_PER_SITE, TooManyKeysError, type ChangeBy } from '../../src/db/keys.js';
import { MAX_AUDIT_JSON } from '../../src/db/audit.js';
import { batch, event } from '../helpers.js';
import { T, type ContractContext } from './context.js';

const byAlice: ChangeBy = { actor: { kind: 'key', label: 'alice', keyId: 'key_alice' }, reason: 'leaked in a log' };
const byCli: ChangeBy = { actor: { kind: 'cli', label: 'cli', keyId: null }, reason: '' };

/** Store contract: labelled keys (create, rotate, revoke), the audit log, site rename and delete. */
export function keysAuditContract({ fresh, reopen }: ContractContext): void {
  describe('keys', () => {
    it('lists the keys a site starts with as `initial`, never their secrets, and notes their last use', async () => {
      let clock = T;
      const store = await fresh(() => clock);
      const { site, ingestKey, adminKey } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const keys = await store.listKeys(site.id);
      const byRole = keys.map((k) => [k.role, k.label, k.createdAt, k.lastUsedAt]).sort();
      expect(byRole).toEqual([
        ['admin', 'initial', T, null],
        ['ingest', 'initial', T, null],
      ]);
      const listed = JSON.stringify(keys);
      expect(listed).not.toContain(ingestKey);
      expect(listed).not.toContain(adminKey);
      expect(Object.keys(keys[0]!).sort()).toEqual(['createdAt', 'id', 'label', 'lastUsedAt', 'role', 'siteId']);

      clock = T + 5_000;
      const resolved = await store.resolveKey(ingestKey);
      expect(resolved?.keyId).toBe(keys.find((k) => k.role === 'ingest')!.id);
      const used = (await store.listKeys(site.id)).find((k) => k.role === 'ingest')!;
      expect(used.lastUsedAt).toBe(T + 5_000);
      clock = T + 30_000; // within the minute: not written again
      await store.resolveKey(ingestKey);
      expect((await store.listKeys(site.id)).find((k) => k.role === 'ingest')!.lastUsedAt).toBe(T + 5_000);
      clock = T + 65_000;
      await store.resolveKey(ingestKey);
      expect((await store.listKeys(site.id)).find((k) => k.role === 'ingest')!.lastUsedAt).toBe(T + 65_000);
    });

    it('rotates an ingest key without downtime: old and new both work until the old is revoked', async () => {
      const store = await fresh();
      const { site, ingestKey } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const old = (await store.resolveKey(ingestKey))!;
      const fresh2 = await store.createKey(site.id, { role: 'ingest', label: 'edge 2026-12' }, byAlice, T);
      expect(fresh2.secret).toMatch(/^wpi_[A-Za-z0-9_-]{43}$/);
      expect(fresh2.key).toMatchObject({ role: 'ingest', label: 'edge 2026-12', siteId: site.id, createdAt: T });
      expect((await store.resolveKey(ingestKey))?.site.id).toBe(site.id);
      expect(await store.resolveKey(fresh2.secret)).toEqual({
        site,
        role: 'ingest',
        keyId: fresh2.key.id,
        label: 'edge 2026-12',
      });
      expect(await store.revokeKey(site.id, old.keyId, byAlice, T + 1)).toMatchObject({
        id: old.keyId,
        role: 'ingest',
      });
      expect(await store.resolveKey(ingestKey)).toBeNull();
      expect((await store.resolveKey(fresh2.secret))?.keyId).toBe(fresh2.key.id);
      expect(await store.revokeKey(site.id, old.keyId, byAlice, T + 2)).toBeNull(); // twice: gone
    });

    it("never revokes another site's key, nor a site's last admin key", async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const adminOfA = (await store.resolveKey(a.adminKey))!;
      // B's id with A's key id: not found, and A's key keeps working.
      expect(await store.revokeKey(b.site.id, adminOfA.keyId, byAlice, T)).toBeNull();
      expect((await store.resolveKey(a.adminKey))?.site.id).toBe(a.site.id);
      await expect(store.revokeKey(a.site.id, adminOfA.keyId, byAlice, T)).rejects.toThrow(LastAdminKeyError);
      expect((await store.resolveKey(a.adminKey))?.site.id).toBe(a.site.id);
      const second = await store.createKey(a.site.id, { role: 'admin', label: 'bob' }, byCli, T);
      expect(await store.revokeKey(a.site.id, adminOfA.keyId, byCli, T)).not.toBeNull();
      expect(await store.resolveKey(a.adminKey)).toBeNull();
      await expect(store.revokeKey(a.site.id, second.key.id, byCli, T)).rejects.toThrow(LastAdminKeyError);
      expect((await store.listKeys(b.site.id)).every((k) => k.siteId === b.site.id)).toBe(true);
      await expect(store.createKey('site_missing', { role: 'admin', label: 'x' }, byCli, T)).rejects.toThrow();
    });

    it('holds at most MAX_KEYS_PER_SITE keys per site', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      for (let i = 2; i < MAX_KEYS_PER_SITE; i++) {
        await store.createKey(a.site.id, { role: 'ingest', label: `k${i}` }, byCli, T);
      }
      await expect(store.createKey(a.site.id, { role: 'ingest', label: 'one more' }, byCli, T)).rejects.toThrow(
        TooManyKeysError,
      );
      expect(await store.listKeys(a.site.id)).toHaveLength(MAX_KEYS_PER_SITE);
      // Per site: another site still creates keys.
      expect((await store.createKey(b.site.id, { role: 'ingest', label: 'x' }, byCli, T)).key.siteId).toBe(b.site.id);
    });

    it('two instances revoking the last two admin keys at once leave one of them', async () => {
      const store = await fresh();
      const other = await reopen();
      const { site, adminKey } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      const first = (await store.resolveKey(adminKey))!.keyId;
      const second = await store.createKey(site.id, { role: 'admin', label: 'bob' }, byCli, T);
      const outcomes = await Promise.allSettled([
        store.revokeKey(site.id, first, byCli, T),
        other.revokeKey(site.id, second.key.id, byCli, T),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(String(refused.reason)).toMatch(/last admin key|busy|locked|serialize/i);
      expect((await store.listKeys(site.id)).filter((k) => k.role === 'admin')).toHaveLength(1);
    });
  });

  describe('audit log', () => {
    it('records key changes with actor, reason, before and after, per site, in pages', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const created = await store.createKey(a.site.id, { role: 'admin', label: '<b>al\u001b[2Jice</b>' }, byAlice, T);
      await store.revokeKey(a.site.id, created.key.id, byCli, T + 10);
      const hostile = { actor: { kind: 'key' as const, label: '__proto__', keyId: null }, reason: 'constructor' };
      for (let i = 0; i < 5; i++) {
        await store.appendAudit(
          a.site.id,
          { ...hostile, action: 'denylist.add', target: `deny_${i}`, before: null, after: { i } },
          T + 20 + i,
        );
      }
      const first = await store.listAudit(a.site.id, { since: 0, limit: 3 });
      expect(first.entries.map((e) => e.action)).toEqual(['key.create', 'key.revoke', 'denylist.add']);
      expect(first.entries[0]).toEqual({
        id: expect.any(Number),
        siteId: a.site.id,
        at: T,
        actor: byAlice.actor,
        action: 'key.create',
        target: created.key.id,
        reason: 'leaked in a log',
        before: null,
        after: { ...created.key },
      });
      expect(first.entries[1]).toMatchObject({ actor: byCli.actor, before: created.key, after: null, at: T + 10 });
      expect(first.entries[2]).toMatchObject({ actor: hostile.actor, reason: 'constructor', after: { i: 0 } });
      expect(JSON.stringify(first)).not.toContain(created.secret);
      const second = await store.listAudit(a.site.id, { since: 0, limit: 3, cursor: first.next });
      expect(second.entries.map((e) => e.target)).toEqual(['deny_1', 'deny_2', 'deny_3']);
      const third = await store.listAudit(a.site.id, { since: 0, limit: 3, cursor: second.next });
      expect([third.entries.map((e) => e.target), third.next]).toEqual([['deny_4'], null]);
      expect((await store.listAudit(a.site.id, { since: T + 22, limit: 100 })).entries).toHaveLength(3);
      // Another site: nothing, also with A's cursor; a forged cursor finds nothing.
      expect(await store.listAudit(b.site.id, { since: 0, limit: 100, cursor: first.next })).toEqual({
        entries: [],
        next: null,
      });
      expect((await store.listAudit(a.site.id, { since: 0, limit: 100, cursor: "1' OR 1=1" })).entries).toEqual([]);
      expect((await store.listAudit(a.site.id, { since: 0, limit: 1e12 })).entries).toHaveLength(7);
    });

    it('bounds before and after, and reads its own writes on another instance', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
      let deep: unknown = 'x';
      for (let i = 0; i < 2_000; i++) deep = { deep };
      const entry = await store.appendAudit(
        site.id,
        { ...byCli, action: 'denylist.add', target: 'x', before: 'y'.repeat(100_000), after: deep },
        T,
      );
      expect(entry.before).toEqual({ truncated: true, length: 100_002 });
      expect(entry.after).toMatchObject({ truncated: true });
      const other = await reopen();
      const [stored] = (await other.listAudit(site.id, { since: 0, limit: 10 })).entries;
      expect(stored).toEqual(entry);
      expect(JSON.stringify(stored).length).toBeLessThan(MAX_AUDIT_JSON);
    });

    it('purges the entries of every site from before the cutoff, and only those', async () => {
      const store = await fresh();
      const sites = [
        await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null }),
        await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null }),
      ];
      for (const { site } of sites)
        for (const at of [T - 2, T - 1, T, T + 1])
          await store.appendAudit(
            site.id,
            { ...byCli, action: 'denylist.add', target: `d${at}`, before: null, after: null },
            at,
          );
      const left = async (siteId: string) =>
        (await store.listAudit(siteId, { since: 0, limit: 100 })).entries.map((e) => e.at).filter((at) => at >= T - 2);
      expect(await store.purgeAuditBefore(T)).toBe(4);
      for (const { site } of sites) expect(await left(site.id)).toEqual([T, T + 1]);
      expect(await store.purgeAuditBefore(T)).toBe(0);
    });
  });

  describe('site administration through the HTTP API', () => {
    it("an admin key never reaches another site's keys, audit log, name or data", async () => {
      const store = await fresh();
      const app = createApp({ store, logError: () => undefined });
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const bAdmin = (await store.resolveKey(b.adminKey))!.keyId;
      const send = (key: string, method: string, path: string, body?: unknown) =>
        app.request(path, {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      for (const [method, path, body] of [
        ['GET', `/v1/sites/${b.site.id}/keys`],
        ['POST', `/v1/sites/${b.site.id}/keys`, { label: 'mallory' }],
        ['DELETE', `/v1/sites/${a.site.id}/keys/${bAdmin}`],
        ['POST', `/v1/sites/${a.site.id}/keys/${bAdmin}/rotate`, {}],
        ['GET', `/v1/sites/${b.site.id}/audit`],
        ['PATCH', `/v1/sites/${b.site.id}`, { name: 'pwned' }],
        ['DELETE', `/v1/sites/${b.site.id}?confirm=${b.site.id}`],
      ] as Array<[string, string, unknown?]>) {
        expect([method, path, (await send(a.adminKey, method, path, body)).status]).toEqual([method, path, 404]);
      }
      expect(await store.getSite(b.site.id)).toEqual(b.site);
      expect((await store.listKeys(b.site.id)).map((k) => k.label)).toEqual(['initial', 'initial']);
      expect((await store.resolveKey(b.adminKey))?.keyId).toBe(bAdmin);
      expect((await store.listAudit(b.site.id, { since: 0, limit: 10 })).entries).toEqual([]);
      // A's own: a deny-list entry added with a labelled key is in A's audit log under that label.
      const alice = await store.createKey(a.site.id, { role: 'admin', label: 'alice' }, byCli, T);
      expect((await send(alice.secret, 'POST', '/v1/denylist', { value: '192.0.2.9', reason: 'probe' })).status).toBe(
        201,
      );
      const page = (await (await send(alice.secret, 'GET', `/v1/sites/${a.site.id}/audit`)).json()) as {
        entries: Array<{ action: string; actor: { label: string; keyId: string } }>;
      };
      expect(page.entries.map((e) => [e.action, e.actor.label])).toEqual([
        ['key.create', 'cli'],
        ['denylist.add', 'alice'],
      ]);
      expect(page.entries[1]!.actor.keyId).toBe(alice.key.id);
    });
  });

  describe('sites: rename and delete', () => {
    it('renames a site and records before and after; unknown sites are null', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
      const renamed = await store.renameSite(site.id, 'shop (prod)', byAlice, T);
      expect(renamed).toEqual({ ...site, name: 'shop (prod)' });
      expect(await store.getSite(site.id)).toEqual(renamed);
      expect(await store.renameSite('site_missing', 'x', byAlice, T)).toBeNull();
      const [entry] = (await store.listAudit(site.id, { since: 0, limit: 10 })).entries;
      expect(entry).toMatchObject({ action: 'site.rename', before: site, after: renamed, actor: byAlice.actor });
    });

    it('deletes a site with all its data in one go, and nothing of another site', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      for (const s of [a, b]) {
        await store.ingestBatch(
          s.site.id,
          batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.2', status: 500 })]),
        );
        await store.addDenyEntry(s.site.id, { value: '192.0.2.1', reason: 'r', source: 'manual', expiresAt: null }, T);
        await store.addWebhook(s.site.id, 'https://hooks.example/T/B/X', T);
        await store.createKey(s.site.id, { role: 'ingest', label: 'second' }, byCli, T);
      }
      // Rollups this process still holds in memory are written before the rows go.
      expect(await store.deleteSite(a.site.id, byAlice, T + 1)).toEqual({ rows: expect.any(Number) });
      expect(await store.deleteSite(a.site.id, byAlice, T + 2)).toBeNull();
      for (const s of [store, await reopen()]) {
        expect(await s.getSite(a.site.id)).toBeNull();
        expect(await s.resolveKey(a.adminKey)).toBeNull();
        expect(await s.resolveKey(a.ingestKey)).toBeNull();
        expect(await s.listKeys(a.site.id)).toEqual([]);
        expect(await s.listEvents(a.site.id, { from: 0, to: T * 2, limit: 100 })).toEqual([]);
        expect(await s.topDimension(a.site.id, '2026-03-01', 'ip', { orderBy: 'requests', limit: 10 })).toEqual([]);
        expect(await s.trafficBuckets(a.site.id, 0, T * 2)).toEqual([]);
        expect(await s.errorBuckets(a.site.id, 0, T * 2)).toEqual([]);
        expect(await s.listDenyEntries(a.site.id, T)).toEqual([]);
        expect(await s.listWebhooks(a.site.id)).toEqual([]);
        const audit = (await s.listAudit(a.site.id, { since: 0, limit: 10 })).entries;
        expect(audit.map((e) => [e.action, e.actor.label, e.reason])).toEqual([
          ['site.delete', 'alice', 'leaked in a log'],
        ]);
        expect(audit[0]!.before).toEqual(a.site);
        // B untouched.
        expect(await s.getSite(b.site.id)).toEqual(b.site);
        expect((await s.resolveKey(b.adminKey))?.site.id).toBe(b.site.id);
        expect(await s.listEvents(b.site.id, { from: 0, to: T * 2, limit: 100 })).toHaveLength(2);
        expect(await s.countDimension(b.site.id, '2026-03-01', 'ip')).toBe(2);
        expect(await s.listDenyEntries(b.site.id, T)).toHaveLength(1);
        expect(await s.listWebhooks(b.site.id)).toHaveLength(1);
        expect(await s.listKeys(b.site.id)).toHaveLength(3);
      }
      expect((await store.listSites()).map((s) => s.id)).toEqual([b.site.id]);
    });
  });
}
