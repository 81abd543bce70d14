/**
 * Auto-deny policies a site turned on: storage only (written once over the `Executor`); what each
 * policy means and when it acts is `cases/policies.ts`.
 */
import { z } from 'zod';
import type { Executor } from './executor.js';

/** The auto-deny policies there are. */
export const AUTO_DENY_POLICIES = ['scanner-probe', 'repeat-bursts', 'intel-list'] as const;
export type AutoDenyPolicy = (typeof AUTO_DENY_POLICIES)[number];

/** A site's policies: which auto-deny policies are on, and how long their denies last. */
export const sitePoliciesSchema = z.object({
  autoDeny: z.array(z.enum(AUTO_DENY_POLICIES)).max(AUTO_DENY_POLICIES.length),
  expiry: z.enum(['1d', '7d', '30d']),
});
export type SitePolicies = z.infer<typeof sitePoliciesSchema>;

/** Policies of a site that never set any: none on (auto-deny is opt-in). */
export const DEFAULT_POLICIES: Readonly<SitePolicies> = Object.freeze({ autoDeny: [], expiry: '7d' });

export interface PolicyStore {
  getPolicies(siteId: string): Promise<SitePolicies>;
  putPolicies(siteId: string, policies: SitePolicies, now: number): Promise<void>;
}

/**
 * The `PolicyStore` of a database (table `site_policies`).
 *
 * @example
 * const policies = policyStoreOn(sqliteExecutor(db));
 * await policies.putPolicies(siteId, { autoDeny: ['scanner-probe'], expiry: '7d' }, Date.now());
 */
export function policyStoreOn(db: Executor): PolicyStore {
  return {
    async getPolicies(siteId) {
      const [row] = await db.all<{ policies: string }>('SELECT policies FROM site_policies WHERE site_id = $1', [
        siteId,
      ]);
      if (!row) return { ...DEFAULT_POLICIES, autoDeny: [] };
      try {
        const parsed = sitePoliciesSchema.safeParse(JSON.parse(row.policies));
        return parsed.success ? parsed.data : { ...DEFAULT_POLICIES, autoDeny: [] };
      } catch {
        return { ...DEFAULT_POLICIES, autoDeny: [] };
      }
    },
    async putPolicies(siteId, policies, now) {
      await db.run(
        `INSERT INTO site_policies (site_id, policies, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (site_id) DO UPDATE SET policies = excluded.policies, updated_at = excluded.updated_at`,
        [siteId, JSON.stringify(sitePoliciesSchema.parse(policies)), now],
      );
    },
  };
}
