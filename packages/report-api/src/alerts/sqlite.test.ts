import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../db/sqlite/open.js';
import type { Store } from '../db/store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wp-alerts-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sqlite alert store', () => {
  it('adds, lists and removes webhooks per site', async () => {
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

  it('settings default to 17:00 business days and update partially', async () => {
    const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    expect(await store.getAlertSettings(site.id)).toEqual({ reportTime: '17:00', businessDaysOnly: true });
    await store.setAlertSettings(site.id, { businessDaysOnly: false });
    expect(await store.setAlertSettings(site.id, { reportTime: '09:30' })).toEqual({ reportTime: '09:30', businessDaysOnly: false });
    expect(await store.getAlertSettings(site.id)).toEqual({ reportTime: '09:30', businessDaysOnly: false });
    await expect(store.setAlertSettings(site.id, { reportTime: '9am' })).rejects.toThrow(/9am/);
  });

  it('records deliveries and lists them newest first, per site, limited', async () => {
    const { site } = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
    const base = { siteId: site.id, webhookId: 'hook_1', kind: 'burst' as const, httpStatus: 200, error: null, attempts: 1, durationMs: 12 };
    for (let i = 0; i < 5; i++) await store.recordDelivery({ ...base, summary: `m${i}`, status: 'delivered', at: 1000 + i });
    await store.recordDelivery({ ...base, summary: 'bad', status: 'failed', httpStatus: null, error: 'timed out', attempts: 4, at: 2000 });
    const latest = await store.listDeliveries(site.id, 3);
    expect(latest.map((d) => d.summary)).toEqual(['bad', 'm4', 'm3']);
    expect(latest[0]).toMatchObject({ status: 'failed', error: 'timed out', attempts: 4, httpStatus: null, kind: 'burst' });
    expect(await store.listDeliveries('site_other', 10)).toEqual([]);
  });
});
