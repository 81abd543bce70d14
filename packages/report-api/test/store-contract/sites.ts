import { describe, expect, it } from 'vitest';
import { type ContractContext } from './context.js';

/** Store contract: sites and keys. */
export function sitesContract({ fresh }: ContractContext): void {
  describe('sites and keys', () => {
    it('resolves keys to their site and role, and nothing else', async () => {
      const store = await fresh();
      const { site, ingestKey, adminKey } = await store.createSite({
        name: 'shop',
        timeZone: 'Asia/Tokyo',
        homeCountry: 'JP',
      });
      expect(site).toMatchObject({
        name: 'shop',
        timeZone: 'Asia/Tokyo',
        homeCountry: 'JP',
        id: expect.stringMatching(/^site_/),
      });
      const key = { keyId: expect.stringMatching(/^key_/), label: 'initial' };
      expect(await store.resolveKey(ingestKey)).toEqual({ site, role: 'ingest', ...key });
      expect(await store.resolveKey(adminKey)).toEqual({ site, role: 'admin', ...key });
      expect(await store.resolveKey(adminKey + 'x')).toBeNull();
      expect(await store.resolveKey('')).toBeNull();
      expect(await store.listSites()).toEqual([site]);
      expect(await store.getSite(site.id)).toEqual(site);
      expect(await store.getSite('site_missing')).toBeNull();
    });

    it('keeps the first value of a setting, also when two callers create it at once', async () => {
      const store = await fresh();
      const [a, b] = await Promise.all([
        store.settingOrCreate('dashboard.sessionSecret', () => 'first'),
        store.settingOrCreate('dashboard.sessionSecret', () => 'second'),
      ]);
      expect(a).toBe(b);
      expect(await store.settingOrCreate('dashboard.sessionSecret', () => 'third')).toBe(a);
      expect(await store.setting('dashboard.sessionSecret')).toBe(a);
      expect(await store.setting('dashboard.missing')).toBeNull();
      expect(await store.setting('dashboard.missing')).toBeNull(); // reading never creates
    });

    it('deletes settings by name prefix and age only', async () => {
      const store = await fresh(() => 1_000);
      await store.settingOrCreate('wp_test.1', () => '1');
      await store.settingOrCreate('wpXtest.1', () => '1');
      await store.settingOrCreate('dashboard.sessionSecret', () => 's');
      expect(await store.deleteSettings('wp_test.', 1_000)).toBe(0); // none older than 1,000
      expect(await store.deleteSettings('wp_test.', 1_001)).toBe(1);
      expect(await store.setting('wp_test.1')).toBeNull();
      expect(await store.setting('wpXtest.1')).toBe('1'); // the prefix is not a LIKE pattern (_ is literal)
      expect(await store.setting('dashboard.sessionSecret')).toBe('s');
    });
  });
}
