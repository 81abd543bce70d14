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
import { clientKey } from '@watchpost/middleware';
import { buildDailyReport } from '../reports/build.js';
import { decideCase, type DecideDeps } from './decide.js';
import { changeByPolicy, matchingPolicy } from './policies.js';
import { buildGuardDutySection } from '../reports/guardduty.js';
import { buildIntelSection } from '../reports/intel.js';
import { localDayRange } from '../time/days.js';
import type { Recommendation } from '../reports/types.js';

/** What one refresh did. */
export interface RefreshResult {
  date: string;
  created: number;
  updated: number;
  reopened: number;
  /** Open cases an auto-deny policy of the site denied. */
  autoDenied: number;
}

const cut = (text: string) => (text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text);

/** A client's evidence of one day: a recommendation of the report, with GuardDuty folded in. */
type ClientEvidence = Omit<Recommendation, 'kinds'> & { kinds: CaseKind[] };

function dayEvidence(rec: ClientEvidence): DayEvidence {
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
export function nextCase(existing: Case | null, rec: ClientEvidence, siteId: string, date: string, now: number) {
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
 * The day's evidence per client: the report's recommendations, with the site's threat lists (a
 * listed client that sent requests gets the `intel` kind) and GuardDuty folded in (a remote IP of the
 * day's findings that also sent HTTP requests gets the `guardduty` kind and a reason naming both
 * kinds of evidence: "GuardDuty Recon:EC2/PortProbeUnprotectedPort, severity 5, 3 times; then 412
 * requests, 80 4xx"), whether or not the report recommended it; grouped by client key.
 */
async function evidenceOf(store: Store, site: Site, date: string, recs: Recommendation[]): Promise<ClientEvidence[]> {
  const { from, to } = localDayRange(date, site.timeZone);
  const section = await buildGuardDutySection(store, site.id, { date, from, to, top: 1000 });
  const byIp = new Map<string, ClientEvidence>(
    recs.map((rec) => [rec.ip, { ...rec, kinds: [...rec.kinds], reasons: [...rec.reasons] }]),
  );
  const intel = await buildIntelSection(store, site.id, { date, top: 100 });
  for (const match of intel?.matches ?? []) {
    const rec: ClientEvidence = byIp.get(match.ip) ?? {
      ip: match.ip,
      country: null,
      reasons: [],
      kinds: [],
      requests: match.requests,
      denied: false,
    };
    rec.kinds.push('intel');
    rec.reasons.push(`on threat list ${match.sources.join(', ')}; ${match.requests} requests`);
    byIp.set(match.ip, rec);
  }
  for (const ip of section?.ips ?? []) {
    if (ip.requests === 0) continue;
    const reason =
      `GuardDuty ${ip.types.join(', ')}, severity ${ip.maxSeverity}, ${ip.times} times; ` +
      `then ${ip.requests} requests, ${ip.errors4xx} 4xx`;
    const rec: ClientEvidence = byIp.get(ip.ip) ?? {
      ip: ip.ip,
      country: ip.country,
      reasons: [],
      kinds: [],
      requests: ip.requests,
      denied: false,
    };
    rec.kinds.push('guardduty');
    rec.reasons.unshift(reason);
    byIp.set(ip.ip, rec);
  }
  return groupByClient([...byIp.values()]);
}

/**
 * One evidence per client key: IPv4 addresses stand alone, IPv6 addresses of one /64 (one host, as
 * the engine counts them) are one client, so an attacker rotating inside its /64 is one case.
 */
function groupByClient(evidence: ClientEvidence[]): ClientEvidence[] {
  const byKey = new Map<string, ClientEvidence>();
  for (const e of evidence) {
    const key = clientKey(e.ip);
    const seen = byKey.get(key);
    // Reasons of a /64 name the address they came from.
    const reasons = key === e.ip ? e.reasons : e.reasons.map((reason) => `${e.ip}: ${reason}`);
    if (!seen) {
      byKey.set(key, { ...e, ip: key, reasons });
      continue;
    }
    seen.kinds = [...new Set([...seen.kinds, ...e.kinds])];
    seen.reasons = [...seen.reasons, ...reasons];
    seen.requests += e.requests;
    seen.denied = seen.denied && e.denied;
    seen.country ??= e.country;
  }
  return [...byKey.values()];
}

/**
 * Turns `date`'s recommendations into cases. Clients already on the deny list get no new case (there
 * is nothing to decide), but an existing case of theirs gains the evidence. With `decide`, the site's
 * auto-deny policies act on the open cases whose evidence changed.
 *
 * @example
 * const { created } = await refreshCases(store, site, '2026-12-04', Date.now());
 */
export async function refreshCases(
  store: Store,
  site: Site,
  date: string,
  now: number,
  decide?: DecideDeps,
): Promise<RefreshResult> {
  const report = await buildDailyReport(store, site, date, { now: () => now });
  const result: RefreshResult = { date, created: 0, updated: 0, reopened: 0, autoDenied: 0 };
  const policies = decide ? await store.getPolicies(site.id) : null;
  for (const rec of await evidenceOf(store, site, date, report.recommendations)) {
    const existing = await store.getCaseByClient(site.id, rec.ip);
    if (!existing && rec.denied) continue;
    const change = nextCase(existing, rec, site.id, date, now);
    if (!change) continue;
    await store.putCase(change.next);
    if (!existing) result.created += 1;
    else result.updated += 1;
    if (change.reopened) result.reopened += 1;
    const policy =
      decide && policies && change.next.state === 'new' ? matchingPolicy(change.next, date, policies) : null;
    if (decide && policies && policy) {
      const by = changeByPolicy(policy);
      await decideCase(
        decide,
        site.id,
        change.next.id,
        { action: 'deny', expiry: policies.expiry, reason: by.reason },
        by,
      );
      result.autoDenied += 1;
    }
  }
  return result;
}
