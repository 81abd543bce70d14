/**
 * What the drill-downs answer: one client IP, country, path or bot over one local day. The dashboard's
 * pages and `GET /v1/sites/:id/{ip,country,path,bot}` return exactly these.
 */
import type { BotCategory, DenyEntry } from '@watchpost/middleware/protocol';
import type { TimelinePoint } from '../reports/types.js';

/**
 * A site as pages and the JSON API show it.
 *
 * @example
 * const site: SiteRef = { id: 's_1', name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' };
 */
export interface SiteRef {
  id: string;
  name: string;
  timeZone: string;
  homeCountry: string | null;
}

/** The `SiteRef` of a stored site (nothing else of it). @example siteRef(await store.getSite(id)) */
export function siteRef(site: SiteRef): SiteRef {
  return { id: site.id, name: site.name, timeZone: site.timeZone, homeCountry: site.homeCountry };
}

/**
 * Counts of one slice of traffic (an IP, a country, a path) over one local day.
 *
 * @example
 * const totals: SliceTotals = { requests: 135, blocked: 15, counted: 0, errors4xx: 135, errors5xx: 0 };
 */
export interface SliceTotals {
  requests: number;
  blocked: number;
  /** Would-be blocks of rules in `count` mode. */
  counted: number;
  errors4xx: number;
  errors5xx: number;
}

/**
 * Fields every drill-down shares: the day, its totals, the previous day and an hourly timeline.
 *
 * @example
 * detail.previousDay?.requests; // null when the slice had no traffic the day before
 */
export interface SliceDetail {
  site: SiteRef;
  /** Local date, YYYY-MM-DD. */
  date: string;
  range: { from: number; to: number };
  totals: SliceTotals;
  /** The same slice on the previous local day; null when that day had no traffic from it. */
  previousDay: SliceTotals | null;
  timeline: TimelinePoint[];
}

/**
 * A row of a "top N" table inside a drill-down.
 *
 * @example
 * const row: CountRow = { requests: 60, blocked: 0 };
 */
export interface CountRow {
  requests: number;
  blocked: number;
}

/**
 * Everything known about one client IP on one local day.
 *
 * @example
 * const detail: IpDetail = await drillDowns.ipDetail(site, '203.0.113.7', '2026-11-26');
 * detail.denied?.reason; // 'burst of 240 4xx in 30 s'
 */
export interface IpDetail extends SliceDetail {
  ip: string;
  countries: Array<{ country: string | null } & CountRow>;
  paths: Array<{ path: string; errors4xx: number; errors5xx: number } & CountRow>;
  userAgents: Array<{ ua: string; botCategory: BotCategory | null } & CountRow>;
  statuses: Array<{ status: number; requests: number }>;
  /** What the engine decided: action and rule, with counts. */
  decisions: Array<{ action: 'allow' | 'block' | 'count'; rule: string | null; requests: number }>;
  /** The served deny-list entry covering this IP (exact IP or a CIDR containing it), or null. */
  denied: DenyEntry | null;
}

/**
 * One country (ISO alpha-2, or null for "unknown") on one local day.
 *
 * @example
 * const detail: CountryDetail = await drillDowns.countryDetail(site, 'JP', '2026-11-26');
 */
export interface CountryDetail extends SliceDetail {
  country: string | null;
  /** Whether this is the site's home country. */
  domestic: boolean;
  ips: Array<{ ip: string; errors4xx: number; errors5xx: number } & CountRow>;
  paths: Array<{ path: string } & CountRow>;
  bots: Array<{ category: BotCategory } & CountRow>;
}

/**
 * One request path on one local day.
 *
 * @example
 * const detail: PathDetail = await drillDowns.pathDetail(site, '/login', '2026-11-26');
 */
export interface PathDetail extends SliceDetail {
  path: string;
  ips: Array<{ ip: string; country: string | null; errors4xx: number; errors5xx: number } & CountRow>;
  statuses: Array<{ status: number; requests: number }>;
  userAgents: Array<{ ua: string; botCategory: BotCategory | null } & CountRow>;
  countries: Array<{ country: string | null } & CountRow>;
}

/**
 * One bot, by the name its user agents give (claimed, not proven: impersonators are kept apart),
 * on one local day.
 *
 * @example
 * const detail: BotDetail = await drillDowns.botDetail(site, 'GPTBot', '2026-11-26');
 */
export interface BotDetail extends SliceDetail {
  name: string;
  /** The categories its requests were given, most requests first (one, as a rule). */
  categories: Array<{ category: BotCategory } & CountRow>;
  ips: Array<{ ip: string; country: string | null; errors4xx: number; errors5xx: number } & CountRow>;
  paths: Array<{ path: string; errors4xx: number; errors5xx: number } & CountRow>;
  statuses: Array<{ status: number; requests: number }>;
  decisions: Array<{ action: 'allow' | 'block' | 'count'; rule: string | null; requests: number }>;
  userAgents: Array<{ ua: string } & CountRow>;
}
