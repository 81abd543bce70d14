import type Database from 'better-sqlite3';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { aggregateEvents, packAggregate, type BatchAggregate, type PackedAggregate } from '../aggregate.js';
import { rollupFlush } from './rollup-writer.js';
import { rollupBacklog, type RecoverySkip, type RollupBacklog } from './rollup-backlog.js';

export { markOwnerClosed, rollupBacklog, type RecoverySkip, type RollupBacklog } from './rollup-backlog.js';

/** Options of `rollupBuffer` (also `openSqliteStore`'s `rollups`). */
export interface RollupBufferOptions {
  /** Events whose rollups may wait in memory; one more group and they are written. Default 1,000,000. */
  flushEvents?: number;
  /** Longest time rollups wait in memory, in ms. Default 10,000. */
  flushMs?: number;
  /**
   * Whether the writer that recorded a backlog range still runs (then its ranges are left alone).
   * Default: an owner on this host is alive while its pid exists; an owner on another host (a
   * database file shared between containers) is taken for dead 10 minutes after its last record.
   */
  isOwnerAlive?: (owner: string, recordedAt: number) => boolean;
  /**
   * Called with an error of a timed flush (the rollups stay in memory and the flush is retried). Default
   * `console.error`.
   */
  onError?: (error: unknown) => void;
  /** Called when recovery skips raw events it cannot aggregate (see `RecoverySkip`). Default `console.warn`. */
  onRecoverySkip?: (skip: RecoverySkip) => void;
}

/** Rollups held in memory between group commits, and the backlog that makes them crash-safe. */
export interface RollupBuffer extends RollupBacklog {
  /**
   * After the group's COMMIT: folds a stored batch (its backlog row `backlogId`) into the rollups waiting in memory.
   */
  add(
    siteId: string,
    events: readonly WatchpostEvent[],
    localDay: (ms: number) => string,
    backlogId: number | null,
  ): void;
  /** After each group: writes the rollups when `flushEvents` are waiting, else makes sure the timer runs. */
  afterGroup(): void;
  /** Writes every waiting rollup and deletes their backlog rows, in one transaction. */
  flush(): void;
  /**
   * `flush()` before a read: a failure (the database locked by another process past the busy
   * timeout, a full disk) goes to `onError` and the flush is retried on the timer, so the read still
   * answers, from rollups at most `flushMs` behind.
   */
  flushForRead(): void;
  /** Flushes and stops the timer; from then on this writer's ranges count as a dead writer's. */
  close(): void;
}

/**
 * `flushEvents` and `flushMs` with their defaults, checked. Rarer, larger flushes write fewer rows
 * in all: with many client IPs, most per-IP rows of a 2 s flush are written again by the next one
 * (bench/ingest.ts: 1M events over HTTP, 10 s / 1M gave ~100k events/s, 2 s / 200k ~82k).
 *
 * @example
 * flushSettings({ flushMs: 500 }); // { flushEvents: 1000000, flushMs: 500 }
 */
export function flushSettings({
  flushEvents = 1_000_000,
  flushMs = 10_000,
}: Pick<RollupBufferOptions, 'flushEvents' | 'flushMs'>): { flushEvents: number; flushMs: number } {
  if (!Number.isInteger(flushEvents) || flushEvents < 1)
    throw new TypeError(`flushEvents must be a positive integer, got ${flushEvents}`);
  if (!(flushMs >= 0 && flushMs <= 60_000)) throw new TypeError(`flushMs must be from 0 to 60000, got ${flushMs}`);
  return { flushEvents, flushMs };
}

/**
 * Keeps rollup deltas in memory across group commits and writes them every `flushMs` or
 * `flushEvents`, so a busy rollup row (an IP, a path, a quarter hour) is rewritten once per flush
 * instead of once per commit: on traffic with a new IP in almost every event, rollup upserts were
 * two thirds of ingest time. Nothing is lost on a crash: each batch records the id
 * range of the raw events it stored in `rollup_backlog`, a flush deletes this writer's ranges in
 * the same transaction as the upserts, and `recover()` (at open and after timed flushes) rebuilds
 * the rollups of ranges left by a writer that died, from the raw events. Reads in this process
 * flush first; another process sees rollups at most `flushMs` behind.
 *
 * @example
 * const rollups = rollupBuffer(db, (siteId) => localDayOf('UTC'), Date.now);
 * db.transaction(() => { insertEvents(); rollups.record(firstId, lastId); })();
 * rollups.add(siteId, batch.events, localDay);
 * rollups.afterGroup();
 */
export function rollupBuffer(
  db: Database.Database,
  localDayOfSite: (siteId: string) => ((ms: number) => string) | null,
  now: () => number,
  {
    isOwnerAlive,
    onRecoverySkip,
    onError = (error) => console.error('watchpost: rollup flush failed, retrying:', error),
    ...flushOptions
  }: RollupBufferOptions = {},
): RollupBuffer {
  const { flushEvents, flushMs } = flushSettings(flushOptions);
  const backlog = rollupBacklog(db, localDayOfSite, now, isOwnerAlive, onRecoverySkip);
  const held = heldRollups();
  const writeAndClear = rollupFlush(db);
  let timer: ReturnType<typeof setTimeout> | null = null;

  function flush(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    const taken = held.take();
    if (taken === null) return;
    try {
      writeAndClear(taken.aggregates, taken.backlogIds);
    } catch (error) {
      held.putBack(taken);
      throw error;
    }
  }

  /**
   * Makes sure the timer will write what is waiting (unref: a CLI process is not kept alive by it; its close()
   * flushes).
   */
  function arm(): void {
    if (held.waiting && timer === null) (timer = setTimeout(onTimer, flushMs)).unref?.();
  }

  function onTimer(): void {
    timer = null;
    try {
      flush();
      backlog.recover();
    } catch (error) {
      onError(error);
      arm();
    }
  }

  return {
    ...backlog,
    add: held.add,
    afterGroup() {
      if (held.events >= flushEvents) {
        try {
          flush();
        } catch (error) {
          onError(error);
        }
      }
      arm();
    },
    flush,
    flushForRead() {
      try {
        flush();
      } catch (error) {
        onError(error);
        arm();
      }
    },
    close() {
      try {
        flush();
      } finally {
        // A flush that failed here leaves ranges behind; the next open in this process may take them.
        if (timer !== null) clearTimeout(timer);
        timer = null;
        backlog.close();
      }
    },
  };
}

/** What `HeldRollups.take` hands over: the packed rollups and the backlog rows they settle. */
export interface TakenRollups {
  aggregates: PackedAggregate[];
  backlogIds: number[];
}

/** Rollups of stored batches folded in memory, per site, with the backlog rows they will settle. */
export interface HeldRollups {
  /** Events folded in since the last `take`. */
  readonly events: number;
  /** Whether anything waits to be written (folded events or a failed write put back). */
  readonly waiting: boolean;
  add(
    siteId: string,
    events: readonly WatchpostEvent[],
    localDay: (ms: number) => string,
    backlogId: number | null,
  ): void;
  /** Everything waiting, packed (`packAggregate`), or null when nothing does. */
  take(): TakenRollups | null;
  /** Gives back what a write that failed took: it goes out first with the next `take`. */
  putBack(taken: TakenRollups): void;
}

/**
 * The rollups a writer holds between flushes, shared by `rollupBuffer` and the writer thread's
 * caller (writer.ts), which writes them on another thread.
 *
 * @example
 * const held = heldRollups();
 * held.add(siteId, batch.events, localDay, backlogId);
 * const taken = held.take(); // write taken.aggregates, delete taken.backlogIds, in one transaction
 */
export function heldRollups(): HeldRollups {
  let pending = new Map<string, BatchAggregate>();
  let backlogIds: number[] = [];
  let events = 0;
  let failed: TakenRollups | null = null;
  const waiting = () => events > 0 || backlogIds.length > 0 || failed !== null;
  return {
    get events() {
      return events;
    },
    get waiting() {
      return waiting();
    },
    add(siteId, batch, localDay, backlogId) {
      pending.set(siteId, aggregateEvents(batch, localDay, pending.get(siteId)));
      events += batch.length;
      if (backlogId !== null) backlogIds.push(backlogId);
    },
    take() {
      if (!waiting()) return null;
      const taken: TakenRollups = {
        aggregates: [...(failed?.aggregates ?? []), ...[...pending].map(([siteId, agg]) => packAggregate(siteId, agg))],
        backlogIds: [...(failed?.backlogIds ?? []), ...backlogIds],
      };
      pending = new Map();
      backlogIds = [];
      events = 0;
      failed = null;
      return taken;
    },
    putBack(taken) {
      // Older than anything folded since: it goes first (upserts add, so the order only matters for `extra`).
      failed =
        failed === null
          ? taken
          : {
              aggregates: [...taken.aggregates, ...failed.aggregates],
              backlogIds: [...taken.backlogIds, ...failed.backlogIds],
            };
    },
  };
}
