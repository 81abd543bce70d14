import { describe, expect, it } from 'vitest';
import { T, type ContractContext } from './context.js';

/** Store contract: deny list. */
export function denyListContract({ fresh }: ContractContext): void {
  describe('deny list', () => {
    it('hides expired entries and scopes listing and removal to the site', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const keep = await store.addDenyEntry(
        a.site.id,
        { value: '192.0.2.0/24', reason: 'x', source: 'manual', expiresAt: null },
        T,
      );
      expect(keep).toEqual({
        id: expect.stringMatching(/^deny_/),
        value: '192.0.2.0/24',
        reason: 'x',
        source: 'manual',
        expiresAt: null,
        createdAt: T,
      });
      const later = await store.addDenyEntry(
        a.site.id,
        { value: '192.0.2.9', reason: 'y', source: 'auto', expiresAt: T + 60_000 },
        T + 1,
      );
      expect(await store.listDenyEntries(a.site.id, T)).toEqual([keep, later]);
      expect(await store.listDenyEntries(a.site.id, T + 60_000)).toEqual([keep]);
      expect(await store.listDenyEntries(b.site.id, T)).toEqual([]);
      expect(await store.removeDenyEntry(b.site.id, keep.id)).toBe(false);
      expect(await store.removeDenyEntry(a.site.id, keep.id)).toBe(true);
      expect(await store.removeDenyEntry(a.site.id, keep.id)).toBe(false);
    });
  });
}
