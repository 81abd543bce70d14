/**
 * The report's triage section: the case decisions taken during the day ("Decided since the last
 * report", for a daily report sent once a day) and the cases still open, from the case store.
 */
import { MAX_CASE_PAGE, type Case } from '../db/cases.js';
import type { Store } from '../db/store.js';
import type { TriageSection } from './types.js';

/**
 * Builds the section for `[from, to)`: decisions taken then, open cases by requests (the first `top`).
 *
 * @example
 * const triage = await buildTriageSection(store, site.id, { from, to, top: 10 });
 */
export async function buildTriageSection(
  store: Store,
  siteId: string,
  { from, to, top }: { from: number; to: number; top: number },
): Promise<TriageSection> {
  const [decidedCases, open] = await Promise.all([
    store.listCases(siteId, { states: ['denied', 'allowed', 'dismissed'], limit: MAX_CASE_PAGE }),
    store.listCases(siteId, { states: ['new'], limit: MAX_CASE_PAGE }),
  ]);
  const decided = decidedCases
    .filter((c): c is Case & { decision: NonNullable<Case['decision']> } => c.decision !== null)
    .filter((c) => c.decision.at >= from && c.decision.at < to)
    .sort((a, b) => a.decision.at - b.decision.at)
    .map((c) => ({
      caseId: c.id,
      client: c.client,
      country: c.country,
      state: c.state,
      by: c.decision.actor.label,
      at: c.decision.at,
      reason: c.decision.reason,
      expiresAt: c.decision.expiresAt,
    }));
  return {
    decided,
    open: {
      count: open.length,
      more: open.length === MAX_CASE_PAGE,
      top: [...open]
        .sort((a, b) => b.requests - a.requests || a.client.localeCompare(b.client))
        .slice(0, top)
        .map((c) => ({ caseId: c.id, client: c.client, country: c.country, kinds: c.kinds, lastDay: c.lastDay })),
    },
  };
}
