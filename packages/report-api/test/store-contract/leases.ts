import { describe, expect, it } from 'vitest';
import { T, type ContractContext } from './context.js';

/** Store contract: leases. */
export function leasesContract({ fresh }: ContractContext): void {
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
      const claims = await Promise.all(
        ['x', 'y', 'z'].map((holder) => store.claimLease('report:s:2026-03-01', holder, T + 86_400_000, T)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      await store.purgeBefore(T + 100_000);
      expect(await store.claimLease('alerts:monitor', 'a', T + 200_000, T + 100_000)).toBe(true);
      expect(await store.claimLease('report:s:2026-03-01', 'other', T + 86_400_000, T + 100_000)).toBe(false);
    });
  });
}
