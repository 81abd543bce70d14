import { createIpMatcher, type IpMatcher } from '@watchpost/middleware';
import type { DenyEntry } from '@watchpost/middleware/protocol';
import type { SliceFilter, SliceGroup, SliceGroupBy } from '../db/drilldown.js';
import type { Site, Store } from '../db/store.js';
import { parseDenyValue } from '../denylist/value.js';
import { buildDailyReport, type DailyReportOptions } from '../reports/build.js';
import { addDays, localDateAt, localDayRange } from '../reports/range.js';
import type { TimelinePoint } from '../reports/types.js';
import type { CountRow, DashboardData, DashboardSite, SliceDetail, SliceTotals } from './types.js';
import { changeByDashboard } from '../audit/actor.js';
import { recordChange } from '../audit/record.js';

const HOUR = 3_600_000;
/** Rows in each table of a drill-down page. */
const TOP = 25;

/**
 * The deny-list entry that covers `ip`: an exact entry first, else the narrowest CIDR containing it.
 * Matched by the middleware's own `createIpMatcher`, so the page says "denied" exactly when the
 * middleware would refuse the IP.
 *
 * @example
 * findDenyEntry([{ value: '203.0.113.0/24', ... }], '203.0.113.9')?.value; // '203.0.113.0/24'
 */
export function findDenyEntry(entries: readonly DenyEntry[], ip: string): DenyEntry | null {
  let matcher: IpMatcher<DenyEntry>;
  try {
    matcher = createIpMatcher(entries);
  } catch {
    // A stored value the matcher refuses (written before validation tightened) must not break the page.
    matcher = createIpMatcher(entries.filter((entry) => parseDenyValue(entry.value).ok));
  }
  return matcher.match(ip);
}

function site(s: Site): DashboardSite {
  return { id: s.id, name: s.name, timeZone: s.timeZone, homeCountry: s.homeCountry };
}

function totalsOf(row: SliceTotals): SliceTotals {
  return {
    requests: row.requests,
    blocked: row.blocked,
    counted: row.counted,
    errors4xx: row.errors4xx,
    errors5xx: row.errors5xx,
  };
}

function countRow(g: SliceGroup): CountRow {
  return { requests: g.requests, blocked: g.blocked };
}

/**
 * `DashboardData` on top of the report API's `Store`: daily reports from `buildDailyReport`,
 * drill-downs from the store's `DrillDownStore` queries, deny entries from its deny list.
 *
 * @example
 * const data = storeDashboardData(store, { now: Date.now });
 * const report = await data.dailyReport(site, '2026-11-26');
 */
export function storeDashboardData(
  store: Store,
  {
    now = Date.now,
    report = {},
    onDenyListChange,
    logError = (error) => console.error('watchpost dashboard:', error),
  }: {
    now?: () => number;
    report?: DailyReportOptions;
    onDenyListChange?: (siteId: string) => void;
    /** Told when the audit record of a dashboard change fails (the change stands). */
    logError?: (error: unknown) => void;
  } = {},
): DashboardData {
  /**
   * Reads the slice once for the day (totals, hourly timeline, the groups asked for) and takes the
   * previous day's totals from the rollups, which outlive raw events.
   */
  async function slice(s: DashboardSite, filter: SliceFilter, date: string, groupBy: readonly SliceGroupBy[]) {
    const range = localDayRange(date, s.timeZone);
    const [dimension, key] =
      'ip' in filter
        ? (['ip', filter.ip] as const)
        : 'path' in filter
          ? (['path', filter.path] as const)
          : (['country', filter.country ?? ''] as const);
    const [summary, previousRows] = await Promise.all([
      store.sliceSummary(s.id, filter, range, { bucketMs: HOUR, groupBy, limit: TOP }),
      store.getDimensionRows(s.id, addDays(date, -1), dimension, [key]),
    ]);
    const hours = Math.ceil((range.to - range.from) / HOUR);
    const timeline: TimelinePoint[] = Array.from({ length: hours }, (_, i) => ({
      start: range.from + i * HOUR,
      requests: 0,
      blocked: 0,
      errors4xx: 0,
      errors5xx: 0,
    }));
    for (const b of summary.timeline) {
      const point = timeline[b.index];
      if (point)
        Object.assign(point, {
          requests: b.requests,
          blocked: b.blocked,
          errors4xx: b.errors4xx,
          errors5xx: b.errors5xx,
        });
    }
    const prev = previousRows[0];
    const base: SliceDetail = {
      site: s,
      date,
      range: { from: range.from, to: range.to },
      totals: totalsOf(summary.totals),
      previousDay:
        prev && prev.requests > 0
          ? {
              requests: Math.round(prev.requests),
              blocked: Math.round(prev.blocked),
              counted: Math.round(prev.counted),
              errors4xx: Math.round(prev.s4xx),
              errors5xx: Math.round(prev.s5xx),
            }
          : null,
      timeline,
    };
    const groups = (by: SliceGroupBy): SliceGroup[] => summary.groups[by] ?? [];
    return { base, groups };
  }

  return {
    async verifyAdminKey(adminKey) {
      const resolved = await store.resolveKey(adminKey);
      return resolved && resolved.role === 'admin' ? { site: site(resolved.site), keyId: resolved.keyId } : null;
    },
    async holdsAdminKey(siteId, keyId) {
      return (await store.listKeys(siteId)).some((key) => key.id === keyId && key.role === 'admin');
    },
    async getSite(siteId) {
      const s = await store.getSite(siteId);
      return s ? site(s) : null;
    },
    today(s) {
      return localDateAt(now(), s.timeZone);
    },
    async dailyReport(s, date) {
      const full = await store.getSite(s.id);
      if (!full) throw new Error(`unknown site ${s.id}`);
      return buildDailyReport(store, full, date, { now, ...report });
    },
    async ipDetail(s, ip, date) {
      const [{ base, groups }, entries] = await Promise.all([
        slice(s, { ip }, date, ['country', 'path', 'ua', 'status', 'decision']),
        store.listDenyEntries(s.id, now()),
      ]);
      const [countries, paths, uas, statuses, decisions] = (
        ['country', 'path', 'ua', 'status', 'decision'] as const
      ).map(groups) as [SliceGroup[], SliceGroup[], SliceGroup[], SliceGroup[], SliceGroup[]];
      return {
        ...base,
        ip,
        countries: countries.map((g) => ({ country: g.key, ...countRow(g) })),
        paths: paths.map((g) => ({
          path: g.key ?? '',
          errors4xx: g.errors4xx,
          errors5xx: g.errors5xx,
          ...countRow(g),
        })),
        userAgents: uas.map((g) => ({ ua: g.key ?? '', botCategory: (g.extra ?? null) as never, ...countRow(g) })),
        statuses: statuses.map((g) => ({ status: Number(g.key), requests: g.requests })),
        decisions: decisions.map((g) => ({
          action: g.key as 'allow' | 'block' | 'count',
          rule: g.extra,
          requests: g.requests,
        })),
        denied: findDenyEntry(entries, ip),
      };
    },
    async countryDetail(s, country, date) {
      const { base, groups } = await slice(s, { country }, date, ['ip', 'path', 'bot']);
      const [ips, paths, bots] = (['ip', 'path', 'bot'] as const).map(groups) as [
        SliceGroup[],
        SliceGroup[],
        SliceGroup[],
      ];
      return {
        ...base,
        country,
        domestic: country !== null && country === s.homeCountry,
        ips: ips.map((g) => ({ ip: g.key ?? '', errors4xx: g.errors4xx, errors5xx: g.errors5xx, ...countRow(g) })),
        paths: paths.map((g) => ({ path: g.key ?? '', ...countRow(g) })),
        bots: bots.filter((g) => g.key !== null).map((g) => ({ category: g.key as never, ...countRow(g) })),
      };
    },
    async pathDetail(s, path, date) {
      const { base, groups } = await slice(s, { path }, date, ['ip', 'status', 'ua', 'country']);
      const [ips, statuses, uas, countries] = (['ip', 'status', 'ua', 'country'] as const).map(groups) as [
        SliceGroup[],
        SliceGroup[],
        SliceGroup[],
        SliceGroup[],
      ];
      return {
        ...base,
        path,
        ips: ips.map((g) => ({
          ip: g.key ?? '',
          country: g.extra,
          errors4xx: g.errors4xx,
          errors5xx: g.errors5xx,
          ...countRow(g),
        })),
        statuses: statuses.map((g) => ({ status: Number(g.key), requests: g.requests })),
        userAgents: uas.map((g) => ({ ua: g.key ?? '', botCategory: (g.extra ?? null) as never, ...countRow(g) })),
        countries: countries.map((g) => ({ country: g.key, ...countRow(g) })),
      };
    },
    async denyIp(s, ip, reason, actor = 'dashboard') {
      const entries = await store.listDenyEntries(s.id, now());
      const existing = entries.find((e) => e.value === ip);
      if (existing) return existing;
      const entry = await store.addDenyEntry(s.id, { value: ip, reason, source: 'manual', expiresAt: null }, now());
      onDenyListChange?.(s.id);
      const by = changeByDashboard(actor, null, reason);
      await recordChange({ store, now, logError }, s.id, by, 'denylist.add', entry.id, { before: null, after: entry });
      return entry;
    },
  };
}
