import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { aggregateEvents, packAggregate, type BatchAggregate } from '../aggregate.js';
import { rollupWriter } from './rollup-writer.js';
import { unstorableReason } from '../storable.js';

/**
 * Raw events of one backlog range that recovery left out of the rollups, because no rollup can be
 * built from them (a ts past the largest Date, a sampleRate of 0, text in a number column: rows
 * written before validation caught them, or by hand). They stay in `events`; the range is settled,
 * so the next open does not meet them again.
 */
export interface RecoverySkip {
  /** The `rollup_backlog` row. */
  backlogId: number;
  /** Raw events skipped. */
  events: number;
  /** Ids of the first 20 of them in `events`. */
  eventIds: number[];
  /** Why, for the first 5 distinct reasons (e.g. `ts 9000000000000000 is outside 2000-01-01..the largest Date`). */
  reasons: string[];
}

const warnSkip = (skip: RecoverySkip) =>
  console.warn(
    `watchpost: rollup recovery skipped ${skip.events} raw event(s) it cannot aggregate ` +
      `(ids ${skip.eventIds.join(', ')}): ${skip.reasons.join('; ')}`,
  );

/** The backlog of one writer: raw-event id ranges whose rollups it has not written yet. */
export interface RollupBacklog {
  /** Who this writer is in `rollup_backlog.owner` (host#pid#start-instance). */
  readonly owner: string;
  /**
   * Inside a batch's transaction: raw events with ids in `[firstId, lastId]` are not in the rollups yet. Returns the
   * backlog row's id.
   */
  record(firstId: number, lastId: number): number;
  /**
   * Rebuilds the rollups of ranges whose writer died before its flush (from the raw events). Returns ranges recovered.
   */
  recover(): number;
  /** From now on this writer's ranges count as a dead writer's. */
  close(): void;
}

const HOST = hostname();
const FOREIGN_OWNER_STALE_MS = 10 * 60_000;
let instance = 0;
/** Writers of this process that closed: whatever ranges they left are theirs no more. */
const closedOwners = new Set<string>();

/**
 * Tells this thread's rollup buffers that a writer of this process (a writer thread, which has a
 * module state of its own) has stopped, so `recover()` may take the ranges it left.
 *
 * @example
 * markOwnerClosed(hello.owner);
 */
export function markOwnerClosed(owner: string): void {
  closedOwners.add(owner);
}

function defaultIsOwnerAlive(owner: string, recordedAt: number, now: number): boolean {
  const [host, pidText] = owner.split('#');
  const pid = Number(pidText);
  if (host !== HOST || !Number.isInteger(pid) || pid <= 0) return now - recordedAt < FOREIGN_OWNER_STALE_MS;
  if (pid === process.pid) return !closedOwners.has(owner);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface RawRow {
  id: number;
  site_id: string;
  ts: number;
  ip: string;
  country: string | null;
  path: string;
  ua: string;
  bot_category: WatchpostEvent['botCategory'];
  bot_name: string | null;
  rule: string | null;
  action: WatchpostEvent['action'];
  status: number;
  sample_rate: number;
}

/**
 * One writer's backlog: `record` files a raw-event id range in the batch's transaction; `recover`
 * rebuilds the rollups of ranges whose writer is gone (`isOwnerAlive`) from the raw events, in one
 * `IMMEDIATE` transaction so two processes never both do it. Part of `rollupBuffer`; the writer
 * thread uses it alone (the thread that serves requests holds the rollups).
 *
 * @example
 * const backlog = rollupBacklog(db, localDayOfSite, Date.now);
 * const backlogId = backlog.record(firstId, lastId);
 */
export function rollupBacklog(
  db: Database.Database,
  localDayOfSite: (siteId: string) => ((ms: number) => string) | null,
  now: () => number,
  isOwnerAlive?: (owner: string, recordedAt: number) => boolean,
  onSkip: (skip: RecoverySkip) => void = warnSkip,
): RollupBacklog {
  const owner = `${HOST}#${process.pid}#${now()}-${++instance}`;
  const alive = isOwnerAlive ?? ((o: string, at: number) => defaultIsOwnerAlive(o, at, now()));
  const write = rollupWriter(db);
  const insertRange = db.prepare(
    'INSERT INTO rollup_backlog (first_id, last_id, owner, recorded_at) VALUES (?, ?, ?, ?)',
  );
  const othersExist = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM rollup_backlog WHERE owner <> ? LIMIT 1',
  );
  const others = db.prepare<
    [string],
    { id: number; first_id: number; last_id: number; owner: string; recorded_at: number }
  >('SELECT id, first_id, last_id, owner, recorded_at FROM rollup_backlog WHERE owner <> ? ORDER BY id');
  const eventsIn = db.prepare<[number, number], RawRow>(
    'SELECT id, site_id, ts, ip, country, path, ua, bot_category, bot_name, rule, action, status, sample_rate ' +
      'FROM events ' +
      'WHERE id BETWEEN ? AND ?',
  );
  const deleteRange = db.prepare('DELETE FROM rollup_backlog WHERE id = ?');

  const recoverTransaction = db.transaction((): { recovered: number; skips: RecoverySkip[] } => {
    const aggregates = new Map<string, BatchAggregate>();
    const skips: RecoverySkip[] = [];
    let recovered = 0;
    for (const range of others.all(owner)) {
      if (alive(range.owner, range.recorded_at)) continue;
      const bySite = new Map<string, WatchpostEvent[]>();
      const skip: RecoverySkip = { backlogId: range.id, events: 0, eventIds: [], reasons: [] };
      for (const r of eventsIn.iterate(range.first_id, range.last_id)) {
        // One row no rollup can take (written before validation caught it) must not stop the
        // open: it is left out, and reported.
        const localDay = localDayOfSite(r.site_id);
        const reason = localDay ? unstorableReason({ ts: r.ts, sampleRate: r.sample_rate }, localDay) : null;
        if (reason !== null) {
          skip.events++;
          if (skip.eventIds.length < 20) skip.eventIds.push(r.id);
          if (skip.reasons.length < 5 && !skip.reasons.includes(reason)) skip.reasons.push(reason);
          continue;
        }
        let list = bySite.get(r.site_id);
        if (!list) bySite.set(r.site_id, (list = []));
        list.push({
          ts: r.ts,
          ip: r.ip,
          country: r.country,
          method: '',
          host: '',
          path: r.path,
          status: r.status,
          latencyMs: 0,
          ua: r.ua,
          action: r.action,
          rule: r.rule,
          botCategory: r.bot_category,
          ...(r.bot_name === null ? {} : { botName: r.bot_name }),
          sampleRate: r.sample_rate,
        });
      }
      for (const [siteId, events] of bySite) {
        const localDay = localDayOfSite(siteId);
        // A site is never deleted, so its events always have a zone; skip rather than guess one.
        if (localDay) aggregates.set(siteId, aggregateEvents(events, localDay, aggregates.get(siteId)));
      }
      deleteRange.run(range.id);
      recovered++;
      if (skip.events > 0) skips.push(skip);
    }
    for (const [siteId, agg] of aggregates) write(packAggregate(siteId, agg));
    return { recovered, skips };
  });

  return {
    owner,
    record: (firstId, lastId) => Number(insertRange.run(firstId, lastId, owner, now()).lastInsertRowid),
    // IMMEDIATE: two processes recovering at once take turns, and the second finds the ranges gone.
    recover() {
      if (!othersExist.get(owner)) return 0;
      const { recovered, skips } = recoverTransaction.immediate();
      // After the COMMIT: a callback that throws cannot undo the recovery.
      for (const skip of skips) onSkip(skip);
      return recovered;
    },
    close: () => void closedOwners.add(owner),
  };
}
