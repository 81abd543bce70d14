/**
 * Auto-deny policies (opt-in per site): a case whose evidence matches a policy the site turned on is
 * denied at once, as a decision of that policy (actor `policy`, labelled with its name), through the
 * same decision path as a person's, so the deny list, the edge and the audit log see it alike.
 *
 * - `scanner-probe`: a scanner user agent and a probe of a sensitive path on the same day.
 * - `repeat-bursts`: two error bursts from the client on the same or consecutive days.
 * - `intel-list`: a client on one of the site's threat lists that sent requests that day.
 */
import type { ChangeBy } from '../db/keys.js';
import type { AutoDenyPolicy, SitePolicies } from '../db/policies.js';
import { addDays } from '../time/days.js';
import type { Case } from './kinds.js';

const burstsOf = (c: Case, day: string) =>
  (c.evidence[day]?.reasons ?? []).filter((reason) => reason.startsWith('burst of')).length;

/**
 * The first policy of `policies` that the case's evidence of `day` matches, or null.
 *
 * @example
 * matchingPolicy(c, '2026-12-04', { autoDeny: ['scanner-probe'], expiry: '7d' }); // 'scanner-probe'
 */
export function matchingPolicy(c: Case, day: string, policies: SitePolicies): AutoDenyPolicy | null {
  const kinds = c.evidence[day]?.kinds ?? [];
  for (const policy of policies.autoDeny) {
    if (policy === 'scanner-probe' && kinds.includes('scanner') && kinds.includes('probe')) return policy;
    if (policy === 'repeat-bursts' && burstsOf(c, day) + burstsOf(c, addDays(day, -1)) >= 2) return policy;
    if (policy === 'intel-list' && kinds.includes('intel')) return policy;
  }
  return null;
}

/** The actor of a policy's decisions. */
export function changeByPolicy(policy: AutoDenyPolicy): ChangeBy {
  return { actor: { kind: 'policy', label: policy, keyId: null }, reason: `auto-deny policy ${policy}` };
}
