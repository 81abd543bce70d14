import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { batch, event, post } from '../helpers.js';
import { type ContractContext } from './context.js';

/** Store contract: tenancy through the HTTP API. */
export function tenancyContract({ fresh }: ContractContext): void {
  describe('tenancy through the HTTP API', () => {
    it("a key of one site never reads or writes another site's data", async () => {
      const store = await fresh();
      const app = createApp({ store, logError: () => undefined });
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: 'JP' });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: 'JP' });
      const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
      expect(
        (
          await app.request(
            '/v1/events',
            post(a.ingestKey, batch([event({ ip: '192.0.2.1' }), event({ ip: '192.0.2.1', status: 500 })])),
          )
        ).status,
      ).toBe(202);
      expect((await app.request('/v1/events', post(b.ingestKey, batch([event({ ip: '198.51.100.1' })])))).status).toBe(
        202,
      );
      expect(
        (await app.request('/v1/denylist', post(a.adminKey, { value: '192.0.2.1', reason: 'a only' }))).status,
      ).toBe(201);

      const report = async (key: string) =>
        (await (await app.request('/v1/reports/daily?date=2026-03-01', auth(key))).json()) as {
          site: { id: string };
          totals: { requests: number };
          topIps: Array<{ ip: string }>;
        };
      const ofA = await report(a.adminKey);
      const ofB = await report(b.adminKey);
      expect([ofA.site.id, ofA.totals.requests, ofA.topIps.map((r) => r.ip)]).toEqual([a.site.id, 2, ['192.0.2.1']]);
      expect([ofB.site.id, ofB.totals.requests, ofB.topIps.map((r) => r.ip)]).toEqual([b.site.id, 1, ['198.51.100.1']]);
      const denyOfB = (await (await app.request('/v1/denylist', auth(b.ingestKey))).json()) as { entries: unknown[] };
      expect(denyOfB.entries).toEqual([]);
      const denyOfA = (await (await app.request('/v1/denylist', auth(a.ingestKey))).json()) as {
        entries: Array<{ id: string }>;
      };
      expect(denyOfA.entries).toHaveLength(1);
      // B's admin key cannot delete A's entry: it is not found for B.
      expect(
        (await app.request(`/v1/denylist/${denyOfA.entries[0]!.id}`, { method: 'DELETE', ...auth(b.adminKey) })).status,
      ).toBe(404);
      expect(await store.listDenyEntries(a.site.id, Date.now())).toHaveLength(1);
    });
  });
}
