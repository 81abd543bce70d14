/**
 * Cases from a day's evidence: every client the daily report recommends becomes (or updates) a case.
 * Idempotent: running it again for the same day with the same evidence writes nothing. A dismissed
 * case whose client comes back on a later day, or with a kind of evidence the decision did not see,
 * is reopened; denied and allowed cases keep their state and gain the evidence.
 */
import {
  MAX_CASE_DAYS,
  MAX_CASE_REASONS,
  MAX_REASON_LENGTH,
  type Case,
  type CaseKind,
  type DayEvidence,
} from '../db/cases.js';
import { newId } from '../db/ids.js';
import type { Site, Store } from '../db/store.js';
import { buildDailyReport } from '../reports/build.js';
import type { Recommendation } from '../reports/types.js';

/** What one refresh did. */
export interface RefreshResult {
  date: string;
  created: number;
  updated: number;
  reopened: number;
}

const cut = (text: string) => (text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text);

function dayEvidence(rec: Recommendation): DayEvidence {
  return {
    kinds: [...rec.kinds].sort() as CaseKind[],
    reasons: rec.reasons.slice(0, MAX_CASE_REASONS).map(cut),
    requests: Math.round(rec.requests),
  };
}

/** The evidence with `date` set, keeping the most recent `MAX_CASE_DAYS` days. */
function withDay(evidence: Case['evidence'], date: string, day: DayEvidence): Case['evidence'] {
  const days = Object.keys({ ...evidence, [date]: day })
    .sort()
    .slice(-MAX_CASE_DAYS);
  return Object.fromEntries(days.map((d) => [d, d === date ? day : evidence[d]!]));
}

/** The case after `date`'s evidence, or null when nothing changed. */
export function nextCase(existing: Case | null, rec: Recommendation, siteId: string, date: string, now: number) {
  const day = dayEvidence(rec);
  if (!existing) {
    const created: Case = {
      id: newId('case'),
      siteId,
      client: rec.ip,
      country: rec.country,
      state: 'new',
      kinds: day.kinds,
      evidence: { [date]: day },
      requests: day.requests,
      firstDay: date,
      lastDay: date,
      updatedAt: now,
      decision: null,
      reopenedAt: null,
    };
    return { next: created, reopened: false };
  }
  if (JSON.stringify(existing.evidence[date]) === JSON.stringify(day)) return null;
  const evidence = withDay(existing.evidence, date, day);
  const kinds = [...new Set([...existing.kinds, ...day.kinds])].sort() as CaseKind[];
  const decided = existing.decision;
  const reopen =
    existing.state === 'dismissed' &&
    decided !== null &&
    (date > decided.day || day.kinds.some((kind) => !decided.kinds.includes(kind)));
  const next: Case = {
    ...existing,
    country: rec.country ?? existing.country,
    state: reopen ? 'new' : existing.state,
    kinds,
    evidence,
    requests: Object.values(evidence).reduce((sum, d) => sum + d.requests, 0),
    firstDay: date < existing.firstDay ? date : existing.firstDay,
    lastDay: date > existing.lastDay ? date : existing.lastDay,
    updatedAt: now,
    reopenedAt: reopen ? now : existing.reopenedAt,
  };
  return { next, reopened: reopen };
}

/**
 * Turns `date`'s recommendations into cases. Clients already on the deny list get no new case (there
 * is nothing to decide), but an existing case of theirs gains the evidence.
 *
 * @example
 * const { created } = await refreshCases(store, site, '2026-12-04', Date.now());
 */
export async function refreshCases(store: Store, site: Site, date: string, now: number): Promise<RefreshResult> {
  const report = await buildDailyReport(store, site, date, { now: () => now });
  const result: RefreshResult = { date, created: 0, updated: 0, reopened: 0 };
  for (const rec of report.recommendations) {
    const existing = await store.getCaseByClient(site.id, rec.ip);
    if (!existing && rec.denied) continue;
    const change = nextCase(existing, rec, site.id, date, now);
    if (!change) continue;
    await store.putCase(change.next);
    if (!existing) result.created += 1;
    else result.updated += 1;
    if (change.reopened) result.reopened += 1;
  }
  return result;
}
