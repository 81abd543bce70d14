import { describe, expect, it } from 'vitest';
import { batch, event } from '../helpers.js';
import { T, type ContractContext } from './context.js';

/** Store contract: alerts. */
export function alertsContract({ fresh }: ContractContext): void {
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
      expect(await store.setAlertSettings(site.id, { reportTime: '09:30' })).toEqual({
        reportTime: '09:30',
        businessDaysOnly: false,
      });
      expect(await store.getAlertSettings(site.id)).toEqual({ reportTime: '09:30', businessDaysOnly: false });
      expect(await store.getAlertSettings(other.id)).toEqual({ reportTime: '17:00', businessDaysOnly: true });
      await expect(store.setAlertSettings(site.id, { reportTime: '9am' })).rejects.toThrow(/9am/);
    });

    it('records deliveries and lists them newest first, per site, limited', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
      const base = {
        siteId: site.id,
        webhookId: 'hook_1',
        kind: 'burst' as const,
        httpStatus: 200,
        error: null,
        attempts: 1,
        durationMs: 12,
      };
      for (let i = 0; i < 5; i++)
        await store.recordDelivery({ ...base, summary: `m${i}`, status: 'delivered', at: 1000 + i });
      await store.recordDelivery({
        ...base,
        summary: 'bad',
        status: 'failed',
        httpStatus: null,
        error: 'timed out',
        attempts: 4,
        at: 2000,
      });
      const latest = await store.listDeliveries(site.id, 3);
      expect(latest.map((d) => d.summary)).toEqual(['bad', 'm4', 'm3']);
      expect(latest[0]).toEqual({
        ...base,
        id: expect.any(Number),
        summary: 'bad',
        status: 'failed',
        error: 'timed out',
        attempts: 4,
        httpStatus: null,
        at: 2000,
      });
      expect(await store.listDeliveries('site_other', 10)).toEqual([]);
    });

    it('finds clients refused by an automatic ban in a time range, earliest first', async () => {
      const store = await fresh();
      const { site } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
      const { site: other } = await store.createSite({ name: 'blog', timeZone: 'UTC', homeCountry: null });
      const banned = { status: 403, action: 'block' as const };
      await store.ingestBatch(
        site.id,
        batch([
          event({ ts: T + 5, ip: '192.0.2.2', ...banned, rule: 'deny-list:auto', sampleRate: 0.5 }),
          event({ ts: T + 1, ip: '192.0.2.1', ...banned, rule: 'ban' }),
          event({ ts: T + 2, ip: '192.0.2.1', ...banned, rule: 'ban' }),
          event({ ts: T + 3, ip: '192.0.2.3', ...banned, rule: 'probe-env' }),
          event({ ts: T + 100, ip: '192.0.2.4', ...banned, rule: 'ban' }),
        ]),
      );
      await store.ingestBatch(other.id, batch([event({ ts: T, ip: '192.0.2.9', ...banned, rule: 'ban' })]));
      expect(await store.autoBannedClients(site.id, T, T + 100, 10)).toEqual([
        { ip: '192.0.2.1', firstSeen: T + 1, requests: 2, rule: 'ban' },
        { ip: '192.0.2.2', firstSeen: T + 5, requests: 2, rule: 'deny-list:auto' },
      ]);
      expect(await store.autoBannedClients(site.id, T, T + 100, 1)).toHaveLength(1);
    });
  });
}
