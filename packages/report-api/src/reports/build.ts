import { clientKey } from '@watchpost/middleware';
import { buildGuardDutySection } from './guardduty.js';
import { buildIntelSection } from './intel.js';
import { buildBotActivitySection } from './bots.js';
import type { CrawlerVerifier } from '../verify/reverse-dns.js';
import { buildTriageSection } from './triage.js';
import type { Counters, Site, Store, TrafficBucket } from '../db/store.js';
import { BASELINE_QUARTERS, burstReadRange, burstThresholds, findBursts } from './bursts.js';
import { QUARTER_MS } from '../db/aggregate.js';
import { recommend } from './recommend.js';
import { buildLoginsSection, buildRateLimitedSection } from './logins.js';
import { addDays, localDayRange } from '../time/days.js';
import type { DailyReport, PeriodTotals, TimelinePoint, TrafficShare } from './types.js';

/** Options of `buildDailyReport`; defaults are in the signature. */
export interface DailyReportOptions {
  /** Clock for `generatedAt`. */
  now?: () => number;
  /** Entries in each top list. */
  top?: number;
  /**
   * More than this many (weighted) 4xx+5xx in any 30 s is a burst (`findBursts`: 30 s in 5-s steps),
   * when it is also more than `burstBaselineFactor` times the typical 30 s around it. Default 100.
   */
  burstThreshold?: number;
  /**
   * A burst must also pass this many times the typical errors in 30 s around it: the median
   * quarter-hour within two hours either side, scaled to 30 s (`burstThresholds`). On a busy site,
   * 100 errors in 30 s come every 30 s; a burst is what stands out. Default 3; 0 keeps the absolute
   * threshold only.
   */
  burstBaselineFactor?: number;
  /** An IP with at least this many 4xx+5xx in any 30 s is recommended for the deny list. */
  ipBurstThreshold?: number;
  /** Most bursts listed (the worst ones, in time order); every burst still feeds the recommendations. */
  maxBursts?: number;
  /** Reverse-DNS check of the impersonators listed (`verify/reverse-dns.ts`); off when absent. */
  verifyCrawler?: CrawlerVerifier;
}

const HOUR = 3_600_000;
const round = (n: number) => Math.round(n);
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

function sum(buckets: readonly TrafficBucket[]): Counters {
  const total: Counters = {
    requests: 0,
    blocked: 0,
    counted: 0,
    s1xx: 0,
    s2xx: 0,
    s3xx: 0,
    s4xx: 0,
    s5xx: 0,
    probes: 0,
    scanner: 0,
  };
  for (const b of buckets) for (const k of Object.keys(total) as Array<keyof Counters>) total[k] += b[k];
  return total;
}

function periodTotals(c: Counters, days: number): PeriodTotals {
  return {
    requests: round(c.requests / days),
    blocked: round(c.blocked / days),
    errors4xx: round(c.s4xx / days),
    errors5xx: round(c.s5xx / days),
    successRate: c.requests > 0 ? ratio(c.requests - c.s5xx, c.requests) : null,
  };
}

const share = (requests: number, blocked: number): TrafficShare => ({
  requests: round(requests),
  blocked: round(blocked),
  blockRate: ratio(blocked, requests),
});

const change = (current: number, previous: number | undefined) =>
  previous === undefined || previous === 0 ? null : Math.round(((current - previous) / previous) * 10_000) / 10_000;

/**
 * Builds the daily posture report of one site for one local day from rollups only (plus indexed
 * look-ups of raw events for the evidence of a few recommended IPs).
 *
 * @example
 * const report = await buildDailyReport(store, site, '2026-03-01');
 * console.log(report.totals.successRate);
 */
export async function buildDailyReport(
  store: Store,
  site: Site,
  date: string,
  {
    now = Date.now,
    top = 10,
    burstThreshold = 100,
    burstBaselineFactor = 3,
    ipBurstThreshold = 50,
    maxBursts = 50,
    verifyCrawler,
  }: DailyReportOptions = {},
): Promise<DailyReport> {
  if (!(burstThreshold >= 0)) throw new TypeError(`burstThreshold must be >= 0, got ${burstThreshold}`);
  if (!(burstBaselineFactor >= 0 && burstBaselineFactor <= 1000))
    throw new TypeError(`burstBaselineFactor must be from 0 to 1000, got ${burstBaselineFactor}`);
  if (!(ipBurstThreshold > 0)) throw new TypeError(`ipBurstThreshold must be > 0, got ${ipBurstThreshold}`);
  const { from, to } = localDayRange(date, site.timeZone);
  const id = site.id;
  const [around, logins, rateLimited, triage, guardDuty, intel, botActivity] = await Promise.all([
    // The day's quarter-hours, and two hours on either side for the bursts' baseline.
    store.trafficBuckets(id, from - BASELINE_QUARTERS * QUARTER_MS, to + (BASELINE_QUARTERS + 1) * QUARTER_MS),
    buildLoginsSection(store, id, { from, to, timeZone: site.timeZone }),
    buildRateLimitedSection(store, id, { from, to }),
    buildTriageSection(store, site, { date, top }),
    buildGuardDutySection(store, id, { date, from, to, top }),
    buildIntelSection(store, id, { date, top }),
    buildBotActivitySection(store, id, { date, from, to, top, ...(verifyCrawler ? { verifyCrawler } : {}) }),
  ]);
  const buckets = around.filter((b) => b.start >= from && b.start < to);
  const totals = sum(buckets);

  const hours = Math.ceil((to - from) / HOUR);
  const timeline: TimelinePoint[] = Array.from({ length: hours }, (_, i) => ({
    start: from + i * HOUR,
    requests: 0,
    blocked: 0,
    errors4xx: 0,
    errors5xx: 0,
  }));
  for (const b of buckets) {
    const point = timeline[Math.floor((b.start - from) / HOUR)];
    if (!point) continue;
    point.requests += b.requests;
    point.blocked += b.blocked;
    point.errors4xx += b.s4xx;
    point.errors5xx += b.s5xx;
  }
  for (const p of timeline)
    Object.assign(p, {
      requests: round(p.requests),
      blocked: round(p.blocked),
      errors4xx: round(p.errors4xx),
      errors5xx: round(p.errors5xx),
    });

  const [countries, ips, paths, uas, bots, rules, uniqueIps] = await Promise.all([
    store.topDimension(id, date, 'country', { orderBy: 'requests', limit: 1000 }),
    store.topDimension(id, date, 'ip', { orderBy: 'requests', limit: top }),
    store.topDimension(id, date, 'path', { orderBy: 'requests', limit: top }),
    store.topDimension(id, date, 'ua', { orderBy: 'requests', limit: top }),
    store.topDimension(id, date, 'bot', { orderBy: 'requests', limit: 50 }),
    store.topDimension(id, date, 'rule', { orderBy: 'requests', limit: 100 }),
    store.countDimension(id, date, 'ip'),
  ]);

  const domestic = { requests: 0, blocked: 0 };
  const foreign = { requests: 0, blocked: 0 };
  const unknown = { requests: 0, blocked: 0 };
  for (const row of countries) {
    const bucket = row.key === '' ? unknown : row.key === site.homeCountry ? domestic : foreign;
    bucket.requests += row.requests;
    bucket.blocked += row.blocked;
  }

  // Bursts touching the day, whole: a burst across midnight shows on both days. A burst passes the
  // absolute threshold and stands out from the hours around it (`burstThresholds`).
  const { over: burstOver, highest: highestBurstThreshold } = burstThresholds(around, {
    from,
    to,
    absolute: burstThreshold,
    factor: burstBaselineFactor,
  });
  const read = burstReadRange(from, to);
  const errorBuckets = await store.errorBuckets(id, read.from, read.to);
  const touchesDay = (b: { start: number; end: number }) => b.end > from && b.start < to;
  const worst = findBursts(errorBuckets, (errors, windowStart) => errors > burstOver(windowStart))
    .filter(touchesDay)
    .sort((a, b) => b.errors - a.errors || a.start - b.start)
    .slice(0, maxBursts)
    .sort((a, b) => a.start - b.start);
  const bursts = await Promise.all(
    worst.map(async (b) => ({
      start: b.start,
      end: b.end,
      errors: round(b.errors),
      ips: (await store.ipErrorPeaks(id, b.windowsStart, b.windowsEnd, 5)).map((ip) => ({
        ip: ip.ip,
        errors: round(ip.errors),
      })),
    })),
  );
  // Evidence against single IPs: each IP's worst 30 s inside stretches where the whole site had
  // at least ipBurstThreshold errors in 30 s (an IP cannot reach it anywhere else).
  const evidenceSpans = findBursts(errorBuckets, (errors) => errors >= ipBurstThreshold).filter(touchesDay);
  // Only IPs with a sixth of that in one 5-s bucket can have them in 30 s: the store names those few
  // once, first (on a busy day the span is the whole day, and window sums over every IP with errors
  // took seconds at 10M events; the 1,500 IPs with 50 errors that day still took 250 ms).
  const ipBursts =
    evidenceSpans.length === 0
      ? []
      : (
          await store.ipErrorPeaksIn(
            id,
            evidenceSpans.map((span) => ({ from: span.windowsStart, to: span.windowsEnd })),
            100,
            { errors: ipBurstThreshold },
          )
        ).flat();

  // The previous day is the tail of the trailing seven days: one read (buckets come back ascending).
  const trailing = await store.trafficBuckets(id, localDayRange(addDays(date, -7), site.timeZone).from, from);
  const previousFrom = localDayRange(addDays(date, -1), site.timeZone).from;
  const previous = trailing.filter((b) => b.start >= previousFrom);
  const previousTotals = previous.length > 0 ? sum(previous) : null;
  const trailingTotals = trailing.length > 0 ? sum(trailing) : null;

  const { recommendations: recommended, suspicious5xx } = await recommend(store, site, {
    date,
    from,
    to,
    ipBursts,
    ipBurstThreshold,
    now: now(),
    rateLimited,
    logins,
    impersonators: botActivity?.impersonators.clients ?? [],
  });
  // Clients a triage allowed (an IP, or its IPv6 /64) are not recommended again.
  const allowed = new Set(await store.allowedClients(id));
  const recommendations = recommended.filter((r) => !allowed.has(r.ip) && !allowed.has(clientKey(r.ip)));

  return {
    site: { id: site.id, name: site.name, timeZone: site.timeZone, homeCountry: site.homeCountry },
    date,
    range: { from, to },
    generatedAt: now(),
    burstThreshold: round(highestBurstThreshold),
    totals: {
      requests: round(totals.requests),
      allowed: round(totals.requests - totals.blocked - totals.counted),
      blocked: round(totals.blocked),
      counted: round(totals.counted),
      successRate: ratio(totals.requests - totals.s5xx, totals.requests),
      uniqueIps,
    },
    statusClasses: {
      '1xx': round(totals.s1xx),
      '2xx': round(totals.s2xx),
      '3xx': round(totals.s3xx),
      '4xx': round(totals.s4xx),
      '5xx': round(totals.s5xx),
    },
    timeline,
    domestic: share(domestic.requests, domestic.blocked),
    foreign: share(foreign.requests, foreign.blocked),
    unknownCountry: share(unknown.requests, unknown.blocked),
    topCountries: countries
      .slice(0, top)
      .map((r) => ({ country: r.key === '' ? null : r.key, requests: round(r.requests), blocked: round(r.blocked) })),
    topIps: ips.map((r) => ({
      ip: r.key,
      requests: round(r.requests),
      blocked: round(r.blocked),
      country: r.extra,
      errors4xx: round(r.s4xx),
      errors5xx: round(r.s5xx),
    })),
    topPaths: paths.map((r) => ({
      path: r.key,
      requests: round(r.requests),
      blocked: round(r.blocked),
      errors4xx: round(r.s4xx),
      errors5xx: round(r.s5xx),
    })),
    topUserAgents: uas.map((r) => ({
      ua: r.key,
      requests: round(r.requests),
      blocked: round(r.blocked),
      botCategory: r.extra as DailyReport['topUserAgents'][number]['botCategory'],
    })),
    bots: bots.map((r) => ({
      category: r.key as DailyReport['bots'][number]['category'],
      requests: round(r.requests),
      blocked: round(r.blocked),
    })),
    blocksByRule: rules
      .map((r) => ({ rule: r.key, blocked: round(r.blocked), counted: round(r.counted) }))
      .filter((r) => r.blocked + r.counted > 0)
      .sort((a, b) => b.blocked + b.counted - (a.blocked + a.counted) || a.rule.localeCompare(b.rule)),
    bursts,
    suspicious5xx,
    rateLimited,
    logins,
    triage,
    ...(guardDuty ? { guardDuty } : {}),
    ...(intel ? { intel } : {}),
    ...(botActivity ? { botActivity } : {}),
    recommendations,
    comparison: {
      previousDay: previousTotals ? periodTotals(previousTotals, 1) : null,
      trailing7Days: trailingTotals ? periodTotals(trailingTotals, 7) : null,
      change: {
        requests: change(totals.requests, previousTotals?.requests),
        blocked: change(totals.blocked, previousTotals?.blocked),
        errors5xx: change(totals.s5xx, previousTotals?.s5xx),
      },
    },
  };
}
