/**
 * Drill-down queries over raw events: one slice of a site's traffic (one IP, one country, one
 * path or one bot by name) in a time range, totalled, per hour, or grouped by another dimension.
 * The dashboard's IP, country, path and bot pages read these. Raw events are kept for the retention
 * window only, so older days come back empty.
 */

/**
 * The slice of traffic to look at. `country: null` is traffic whose country is unknown. `botName` is
 * the name's own traffic: impersonators that claimed it are left out (the report lists them apart).
 */
export type SliceFilter = { ip: string } | { country: string | null } | { path: string } | { botName: string };

/** What a slice can be grouped by. `decision` groups by action and rule; `bot` by bot category. */
export type SliceGroupBy = 'ip' | 'country' | 'path' | 'ua' | 'status' | 'decision' | 'bot';

/** Sample-weighted counts of a slice (rounded to whole requests). */
export interface SliceCounts {
  requests: number;
  blocked: number;
  counted: number;
  errors4xx: number;
  errors5xx: number;
}

/**
 * One group of a slice. `key` is the group's value as text (the status code as digits, the
 * action for `decision`), null for a missing country or bot category; `extra` is the rule of a
 * decision, the bot category of a user agent, or the (most frequent) country of an IP.
 */
export interface SliceGroup extends SliceCounts {
  key: string | null;
  extra: string | null;
}

/** One bucket of a slice's timeline: `index` counts `bucketMs` steps from the range start. */
export interface SliceBucket extends SliceCounts {
  index: number;
}

/** What `sliceSummary` returns: totals, the timeline and the top groups asked for. */
export interface SliceSummary {
  totals: SliceCounts;
  /** Only buckets with traffic, ascending by index. */
  timeline: SliceBucket[];
  /** Top `limit` groups of each requested `groupBy`, most requests first. */
  groups: Partial<Record<SliceGroupBy, SliceGroup[]>>;
}

/** Options of `sliceSummary`. */
export interface SliceSummaryOptions {
  /** Width of a timeline bucket, counted from `range.from`. */
  bucketMs: number;
  groupBy: readonly SliceGroupBy[];
  /** Groups kept per `groupBy` (at most 1,000). */
  limit: number;
}

/**
 * Drill-down queries; part of `Store`. One call reads the slice once and answers everything a
 * drill-down page needs (a store should not scan the day once per table).
 *
 * @example
 * const day = { from: Date.parse('2026-11-25T15:00:00Z'), to: Date.parse('2026-11-26T15:00:00Z') };
 * const { totals, timeline, groups } = await store.sliceSummary('s_1', { ip: '203.0.113.7' }, day,
 *   { bucketMs: 3_600_000, groupBy: ['path', 'status'], limit: 25 });
 */
export interface DrillDownStore {
  sliceSummary(
    siteId: string,
    filter: SliceFilter,
    range: { from: number; to: number },
    options: SliceSummaryOptions,
  ): Promise<SliceSummary>;
}
