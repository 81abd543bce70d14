import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import type { Counters, Dimension } from './store.js';

/** Quarter hour in ms: every IANA offset is a multiple of 15 minutes, so local hours and days are unions of these. */
export const QUARTER_MS = 15 * 60 * 1000;
/**
 * Error bucket length. A burst is any six consecutive buckets (30 s, sliding in 5-s steps) over
 * the threshold (`src/reports/bursts.ts`), so its edges are 5-s aligned.
 */
export const ERROR_BUCKET_MS = 5 * 1000;

/** Counter order used by the SQL statements (`COUNTER_COLUMNS[i]` ↔ `values[i]`). */
export const COUNTER_COLUMNS = [
  'requests',
  'blocked',
  'counted',
  's1xx',
  's2xx',
  's3xx',
  's4xx',
  's5xx',
  'probes',
  'scanner',
] as const satisfies ReadonlyArray<keyof Counters>;

/** Weighted counters in `COUNTER_COLUMNS` order (a plain array: cheaper to allocate than a typed one). */
export type CounterValues = number[];

const zeros = (): CounterValues => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/**
 * Adds one event, weighted `1 / sampleRate`, to `values`.
 *
 * @example
 * const values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
 * addEvent(values, event, 1 / event.sampleRate);
 */
export function addEvent(values: CounterValues, event: WatchpostEvent, weight: number): void {
  values[0]! += weight;
  if (event.action === 'block') values[1]! += weight;
  else if (event.action === 'count') values[2]! += weight;
  const statusClass = Math.floor(event.status / 100);
  if (statusClass >= 1 && statusClass <= 5) values[2 + statusClass]! += weight;
  if (event.rule !== null && event.rule.startsWith('probe')) values[8]! += weight;
  if (event.botCategory === 'scanner') values[9]! += weight;
}

/** The rows of one dimension on one site-local day. */
export interface DayDimension {
  day: string;
  dim: Dimension;
  rows: Map<string, DayRow>;
}

export interface DayRow {
  day: string;
  dim: Dimension;
  key: string;
  extra: string | null;
  values: CounterValues;
}

/** A batch folded into rollup rows, so each distinct row costs one upsert however many events hit it. */
export interface BatchAggregate {
  quarters: Map<number, CounterValues>;
  /** By `day \0 dimension`, then by key: the key is looked up as it came, never concatenated. */
  days: Map<string, DayDimension>;
  /** Weighted 4xx+5xx by 5-s bucket start. */
  errors: Map<number, number>;
  /** Weighted 4xx+5xx by 5-s bucket start, then by IP (no key string built per event). */
  ipErrors: Map<number, Map<string, number>>;
}

/**
 * Folds events into per-quarter, per-day-dimension and per-5-s error rollups.
 * `localDay(quarterStart)` maps a bucket to the site-local date. Pass `agg` to add to an existing
 * aggregate (several batches of one site written in one group commit).
 *
 * @example
 * const agg = aggregateEvents(batch.events, (start) => '2026-03-01');
 */
export function aggregateEvents(
  events: readonly WatchpostEvent[],
  localDay: (quarterStart: number) => string,
  agg: BatchAggregate = { quarters: new Map(), days: new Map(), errors: new Map(), ipErrors: new Map() },
): BatchAggregate {
  let lastQuarter = Number.NaN;
  let lastBucket = Number.NaN;
  let bucketIps = new Map<string, number>();
  let values: CounterValues = zeros();
  let dims: Record<Dimension, DayDimension> | null = null;
  for (const event of events) {
    const weight = 1 / event.sampleRate;
    const quarter = event.ts - (event.ts % QUARTER_MS);
    // Batches are mostly in time order: the quarter's counters and the day's maps are looked up
    // once per quarter, not once per event.
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      let found = agg.quarters.get(quarter);
      if (!found) agg.quarters.set(quarter, (found = zeros()));
      values = found;
      dims = dayMaps(agg, localDay(quarter));
    }
    addEvent(values, event, weight);

    const day = dims!;
    addDim(day.country, event.country ?? '', null, event, weight);
    addDim(day.ip, event.ip, event.country, event, weight);
    addDim(day.path, event.path, null, event, weight);
    addDim(day.ua, event.ua, event.botCategory, event, weight);
    if (event.botCategory !== null) addDim(day.bot, event.botCategory, null, event, weight);
    // Bots by name, with their category; impersonators apart, by the name they claimed.
    const botName = event.botName;
    if (botName != null && event.botCategory !== null) {
      if (event.botCategory === 'impersonator') addDim(day.botclaim, botName, null, event, weight);
      else addDim(day.botname, botName, event.botCategory, event, weight);
    }
    if (event.rule !== null) addDim(day.rule, event.rule, null, event, weight);

    if (event.status >= 400 && event.status <= 599) {
      const start = event.ts - (event.ts % ERROR_BUCKET_MS);
      agg.errors.set(start, (agg.errors.get(start) ?? 0) + weight);
      if (start !== lastBucket) {
        lastBucket = start;
        let found = agg.ipErrors.get(start);
        if (!found) agg.ipErrors.set(start, (found = new Map()));
        bucketIps = found;
      }
      bucketIps.set(event.ip, (bucketIps.get(event.ip) ?? 0) + weight);
    }
  }
  return agg;
}

const DIMENSIONS: readonly Dimension[] = ['country', 'ip', 'path', 'ua', 'bot', 'botname', 'botclaim', 'rule'];

function dayMaps(agg: BatchAggregate, day: string): Record<Dimension, DayDimension> {
  const maps = {} as Record<Dimension, DayDimension>;
  for (const dim of DIMENSIONS) {
    const id = `${day}\u0000${dim}`;
    let found = agg.days.get(id);
    if (!found) agg.days.set(id, (found = { day, dim, rows: new Map() }));
    maps[dim] = found;
  }
  return maps;
}

function addDim(target: DayDimension, key: string, extra: string | null, event: WatchpostEvent, weight: number): void {
  let row = target.rows.get(key);
  if (!row) target.rows.set(key, (row = { day: target.day, dim: target.dim, key, extra, values: zeros() }));
  else if (extra !== null) row.extra = extra;
  addEvent(row.values, event, weight);
}

/**
 * Every per-day row of an aggregate.
 *
 * @example
 * for (const row of dayRows(agg)) console.log(row.day, row.dim, row.key, row.values[0]);
 */
export function* dayRows(agg: BatchAggregate): Generator<DayRow> {
  for (const { rows } of agg.days.values()) yield* rows.values();
}

/**
 * A site's aggregate as flat arrays, the form `rollupWriter` writes and the writer thread receives:
 * quarters as `[start, ...10 counters]`, each day dimension as `[day, dim, rowCount, ...rows of
 * [key, extra, ...10 counters]]` with its rows in key order (upserts then walk the primary-key
 * B-tree forward), 5-s error buckets as `[start, errors]`, per-IP buckets as `[start, ip, errors]`
 * in (start, ip) order (the primary key's).
 */
export interface PackedAggregate {
  siteId: string;
  quarters: number[];
  days: unknown[];
  errors: number[];
  ipErrors: unknown[];
}

/**
 * Packs a site's aggregate (see `PackedAggregate`).
 *
 * @example
 * write(packAggregate('site_1', aggregateEvents(events, localDay)));
 */
export function packAggregate(siteId: string, agg: BatchAggregate): PackedAggregate {
  const quarters: number[] = [];
  for (const [start, values] of agg.quarters) quarters.push(start, ...values);
  const days: unknown[] = [];
  for (const { day, dim, rows } of agg.days.values()) {
    days.push(day, dim, rows.size);
    const keys = [...rows.keys()].sort();
    for (const key of keys) {
      const row = rows.get(key)!;
      days.push(key, row.extra, ...row.values);
    }
  }
  const errors: number[] = [];
  for (const [start, weighted] of agg.errors) errors.push(start, weighted);
  const ipErrors: unknown[] = [];
  for (const [start, ips] of ipErrorRows(agg)) for (const [ip, weighted] of ips) ipErrors.push(start, ip, weighted);
  return { siteId, quarters, days, errors, ipErrors };
}

/**
 * The per-IP error buckets of an aggregate in primary-key order: by start, then by IP (code units,
 * as SQLite's BINARY and PostgreSQL's COLLATE "C" compare), so upserts walk the B-tree forward.
 *
 * @example
 * for (const [start, ips] of ipErrorRows(agg)) for (const [ip, errors] of ips) write(start, ip, errors);
 */
export function ipErrorRows(agg: BatchAggregate): Array<[number, Array<[string, number]>]> {
  const byIp = (a: [string, number], b: [string, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...agg.ipErrors].sort((a, b) => a[0] - b[0]).map(([start, ips]) => [start, [...ips].sort(byIp)]);
}
