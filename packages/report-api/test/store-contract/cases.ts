import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/db/cases.js';
import { T, type ContractContext } from './context.js';

function aCase(siteId: string, id: string, client: string, overrides: Partial<Case> = {}): Case {
  return {
    id,
    siteId,
    client,
    country: 'JP',
    state: 'new',
    kinds: ['high-4xx', 'probe'],
    evidence: { '2026-03-01': { kinds: ['high-4xx', 'probe'], reasons: ['probed /.env'], requests: 40 } },
    requests: 40,
    firstDay: '2026-03-01',
    lastDay: '2026-03-01',
    updatedAt: T,
    decision: null,
    reopenedAt: null,
    ...overrides,
  };
}

/** Store contract: triage cases. */
export function casesContract({ fresh, reopen }: ContractContext): void {
  describe('cases', () => {
    it('round-trips a case, replaces it by id, filters, and never shows another site’s', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const b = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
      const one = aCase(a.site.id, 'case_1', '203.0.113.7');
      const two = aCase(a.site.id, 'case_2', '2001:db8::/64', { country: null, kinds: ['scanner'], updatedAt: T + 5 });
      await store.putCase(one);
      await store.putCase(two);
      expect(await store.getCase(a.site.id, 'case_1')).toEqual(one);
      expect(await store.getCaseByClient(a.site.id, '2001:db8::/64')).toEqual(two);
      expect(await store.getCase(b.site.id, 'case_1')).toBeNull();
      expect(await store.getCaseByClient(b.site.id, '203.0.113.7')).toBeNull();
      expect((await store.listCases(a.site.id, { limit: 10 })).map((c) => c.id)).toEqual(['case_2', 'case_1']);
      expect(await store.listCases(b.site.id, { limit: 10 })).toEqual([]);
      expect((await store.listCases(a.site.id, { kind: 'scanner', limit: 10 })).map((c) => c.id)).toEqual(['case_2']);
      expect((await store.listCases(a.site.id, { country: null, limit: 10 })).map((c) => c.id)).toEqual(['case_2']);
      expect((await store.listCases(a.site.id, { country: 'JP', limit: 10 })).map((c) => c.id)).toEqual(['case_1']);
      const decided: Case = {
        ...one,
        state: 'dismissed',
        updatedAt: T + 10,
        decision: {
          actor: { kind: 'key', label: 'alice', keyId: 'key_1' },
          at: T + 10,
          reason: 'our monitoring',
          expiresAt: null,
          day: '2026-03-01',
          kinds: ['high-4xx', 'probe'],
          ticketUrl: null,
        },
      };
      await store.putCase(decided);
      const again = await reopen();
      expect(await again.getCase(a.site.id, 'case_1')).toEqual(decided);
      expect((await again.listCases(a.site.id, { states: ['dismissed'], limit: 10 })).map((c) => c.id)).toEqual([
        'case_1',
      ]);
      expect((await again.listCases(a.site.id, { states: ['new'], limit: 1 })).map((c) => c.id)).toEqual(['case_2']);
      expect(await again.allowedClients(a.site.id)).toEqual([]);
      await again.putCase({ ...two, state: 'allowed' });
      await again.putCase(aCase(b.site.id, 'case_b', '192.0.2.1', { state: 'allowed' }));
      expect(await again.allowedClients(a.site.id)).toEqual(['2001:db8::/64']);
    });

    it('keeps markup and SQL in evidence as data', async () => {
      const store = await fresh();
      const a = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
      const hostile = aCase(a.site.id, 'case_x', '198.51.100.1', {
        evidence: {
          '2026-03-01': { kinds: ['probe'], reasons: ["probed /<script>alert(1)</script>' OR 1=1 --"], requests: 1 },
        },
      });
      await store.putCase(hostile);
      expect((await store.getCase(a.site.id, 'case_x'))?.evidence).toEqual(hostile.evidence);
    });
  });
}
