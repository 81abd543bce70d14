/**
 * The drill-downs of one client IP, country, path or bot over one local day: totals, the previous day,
 * an hourly timeline and the top tables. The dashboard's pages and the JSON API
 * (`GET /v1/sites/:id/ips/:ip`, `/countries/:country`, `/paths?path=`) both answer from here, so
 * they show the same numbers.
 */
import { createIpMatcher, type IpMatcher } from '@watchpost/middleware';
import type { DenyEntry } from '@watchpost/middleware/protocol';
import type { SliceFilter, SliceGroup, SliceGroupBy } from '../db/drilldown.js';
import type { Store } from '../db/store.js';
import { parseDenyValue } from '../denylist/value.js';
import { addDays, localDayRange } from '../time/days.js';
import type { TimelinePoint } from '../reports/types.js';
import type {
  BotDetail,
  CountRow,
  CountryDetail,
  IpDetail,
  PathDetail,
  SiteRef,
  SliceDetail,
  SliceTotals,
} from './types.js';

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

/** A group with its 4xx and 5xx as well. */
const withErrors = (g: SliceGroup) => ({ errors4xx: g.errors4xx, errors5xx: g.errors5xx, ...countRow(g) });
/** An IP group with its most frequent country (the group's extra). */
const ipRow = (g: SliceGroup) => ({ ip: g.key ?? '', country: g.extra, ...withErrors(g) });
const pathRow = (g: SliceGroup) => ({ path: g.key ?? '', ...withErrors(g) });
const statusRow = (g: SliceGroup) => ({ status: Number(g.key), requests: g.requests });
/** A decision group: the action, and the rule as the group's extra. */
const decisionRow = (g: SliceGroup) => ({
  action: g.key as 'allow' | 'block' | 'count',
  rule: g.extra,
  requests: g.requests,
});

/**
 * The drill-down queries of one store.
 *
 * @example
 * const drillDowns = createDrillDowns(store, { now: Date.now });
 * (await drillDowns.ipDetail(site, '203.0.113.7', '2026-11-26')).totals.requests;
 */
export interface DrillDowns {
  ipDetail(site: SiteRef, ip: string, date: string): Promise<IpDetail>;
  countryDetail(site: SiteRef, country: string | null, date: string): Promise<CountryDetail>;
  pathDetail(site: SiteRef, path: string, date: string): Promise<PathDetail>;
  botDetail(site: SiteRef, name: string, date: string): Promise<BotDetail>;
}

export function createDrillDowns(store: Store, { now = Date.now }: { now?: () => number } = {}): DrillDowns {
  /**
   * Reads the slice once for the day (totals, hourly timeline, the groups asked for) and takes the
   * previous day's totals from the rollups, which outlive raw events.
   */
  async function slice(s: SiteRef, filter: SliceFilter, date: string, groupBy: readonly SliceGroupBy[]) {
    const range = localDayRange(date, s.timeZone);
    const [dimension, key] =
      'ip' in filter
        ? (['ip', filter.ip] as const)
        : 'path' in filter
          ? (['path', filter.path] as const)
          : 'botName' in filter
            ? (['botname', filter.botName] as const)
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
        paths: paths.map(pathRow),
        userAgents: uas.map((g) => ({ ua: g.key ?? '', botCategory: (g.extra ?? null) as never, ...countRow(g) })),
        statuses: statuses.map(statusRow),
        decisions: decisions.map(decisionRow),
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
        ips: ips.map((g) => ({ ip: g.key ?? '', ...withErrors(g) })),
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
        ips: ips.map(ipRow),
        statuses: statuses.map(statusRow),
        userAgents: uas.map((g) => ({ ua: g.key ?? '', botCategory: (g.extra ?? null) as never, ...countRow(g) })),
        countries: countries.map((g) => ({ country: g.key, ...countRow(g) })),
      };
    },
    async botDetail(s, name, date) {
      const by = ['bot', 'ip', 'path', 'status', 'decision', 'ua'] as const;
      const { base, groups } = await slice(s, { botName: name }, date, by);
      return {
        ...base,
        name,
        categories: groups('bot')
          .filter((g) => g.key !== null)
          .map((g) => ({ category: g.key as never, ...countRow(g) })),
        ips: groups('ip').map(ipRow),
        paths: groups('path').map(pathRow),
        statuses: groups('status').map(statusRow),
        decisions: groups('decision').map(decisionRow),
        userAgents: groups('ua').map((g) => ({ ua: g.key ?? '', ...countRow(g) })),
      };
    },
  };
}
