/**
 * The report's triage section: the case decisions taken since the last report (from the previous
 * day's report time to this day's, in the site's schedule: a triage at 18:00 after the 17:00 report
 * shows in the next day's) and the cases still open, from the case store.
 */
import { MAX_CASE_PAGE, type Case } from '../db/cases.js';
import type { Site, Store } from '../db/store.js';
import { addDays, localDayRange, parseReportTime } from '../time/days.js';
import type { TriageSection } from './types.js';

/**
 * Builds the section of the day starting at `from`: decisions taken since the last report, open
 * cases by requests (the first `top`). The window runs from the previous day's report time to this
 * day's (`reportTime` minutes after each local midnight; an hour off on a DST change day).
 *
 * @example
 * const triage = await buildTriageSection(store, site, { date: '2026-12-04', top: 10 });
 */
export async function buildTriageSection(
  store: Store,
  site: Site,
  { date, top }: { date: string; top: number },
): Promise<TriageSection> {
  const settings = await store.getAlertSettings(site.id);
  const minutes = (parseReportTime(settings.reportTime) ?? 17 * 60) * 60_000;
  const from = localDayRange(addDays(date, -1), site.timeZone).from + minutes;
  const to = localDayRange(date, site.timeZone).from + minutes;
  const siteId = site.id;
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
    since: from,
    until: to,
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
