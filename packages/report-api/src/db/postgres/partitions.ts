import type pg from 'pg';
import { rows, statement } from './pool.js';

const DAY = 86_400_000;
/** Days before today that get a partition of their own when their events come (an import). */
export const PAST_DAYS = 62;
/** Days after today that get one (a sender's clock ahead); created ahead of time as well. */
export const AHEAD_DAYS = 2;

const partitionsOf = statement(
  `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i
   JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
   WHERE p.relname = 'events' AND p.relnamespace = current_schema()::regnamespace`,
);
const NAME = /^events_d(\d{4})(\d{2})(\d{2})$/;

/** `events_d20261205` for the UTC day `day` (days since 1970-01-01). */
export function partitionName(day: number): string {
  return `events_d${new Date(day * DAY).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The UTC day of a partition's name, or null for another table. */
function dayOfName(name: string): number | null {
  const m = NAME.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY : null;
}

/** What `dayPartitions` does: counted for `stats`, and for tests. */
export interface PartitionStats {
  created: number;
  dropped: number;
  /** Days that could not have a partition (the default one already held rows of theirs). */
  unpartitioned: number;
}

/**
 * The day partitions of `events` (migration 0018): created as days come, within `PAST_DAYS` before
 * and `AHEAD_DAYS` after today and never before the last purge, so a batch spread over every day
 * since 2000 creates at most about 65 tables, once each; events of other days go to the default
 * partition (`events_later`) or to `events_before`. Dropped by `drop(before)` once the whole day is
 * older than the retention. Creating never fails an ingest: on any error the events of that day
 * go to the default partition, and a day the default partition already holds rows of is not tried
 * again in this process.
 *
 * @example
 * const partitions = dayPartitions(pool, Date.now);
 * await partitions.ensure(batch.events.map((e) => e.ts)); // before the batch's transaction
 */
export function dayPartitions(pool: pg.Pool, now: () => number) {
  /** Days with a partition, or that will not have one in this process. */
  const settled = new Set<number>();
  const pending = new Map<number, Promise<void>>();
  /** Before this day, `events_before` holds the events (its range ends at the migration's cutoff). */
  let firstDay = Number.NEGATIVE_INFINITY;
  /** No partition is created before the day of the last purge. */
  let purgedDay = Number.NEGATIVE_INFINITY;
  const stats: PartitionStats = { created: 0, dropped: 0, unpartitioned: 0 };
  let loaded: Promise<void> | null = null;

  async function load(): Promise<void> {
    for (const { name, bound } of await rows<{ name: string; bound: string }>(pool, partitionsOf, [])) {
      const day = dayOfName(name);
      if (day !== null) settled.add(day);
      const before = name === 'events_before' ? /TO \('?(-?\d+)'?\)/.exec(bound) : null;
      if (before) firstDay = Math.ceil(Number(before[1]) / DAY);
    }
  }

  async function create(day: number): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch {
      return; // the batch's own transaction will say what is wrong with the database
    }
    try {
      await client.query('BEGIN');
      // Creating a partition locks the whole table: wait little for the running ingests, or give up.
      await client.query("SET LOCAL lock_timeout = '2s'");
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF events ` +
          `FOR VALUES FROM (${day * DAY}) TO (${(day + 1) * DAY})`,
      );
      await client.query('COMMIT');
      settled.add(day);
      stats.created++;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // 23514: the default partition holds rows of that day; 42P07: another instance made it first.
      const code = (error as { code?: string }).code;
      if (code === '42P07') settled.add(day);
      else if (code === '23514') {
        settled.add(day);
        stats.unpartitioned++;
      }
    } finally {
      client.release();
    }
  }

  /** What is there, read once; a failed read is tried again next time. */
  function loadOnce(): Promise<void> {
    return (loaded ??= load().catch((error: unknown) => {
      loaded = null;
      throw error;
    }));
  }

  /**
   * Makes sure the days of `timestamps` within the window have their partitions. Never throws: the
   * events of a day without one go to the default partition.
   */
  async function ensure(timestamps: Iterable<number>): Promise<void> {
    try {
      await loadOnce();
    } catch {
      return;
    }
    const today = Math.floor(now() / DAY);
    const from = Math.max(today - PAST_DAYS, firstDay, purgedDay);
    const days = new Set<number>();
    for (const ts of timestamps) {
      const day = Math.floor(ts / DAY);
      if (day >= from && day <= today + AHEAD_DAYS && !settled.has(day)) days.add(day);
    }
    await Promise.all(
      [...days].map((day) => {
        let running = pending.get(day);
        if (!running) {
          running = create(day).finally(() => pending.delete(day));
          pending.set(day, running);
        }
        return running;
      }),
    );
  }

  return {
    ensure,
    /** Today and the days ahead: called at open and with every purge, so ingest seldom waits on one. */
    ahead(): Promise<void> {
      const today = Math.floor(now() / DAY);
      return ensure(Array.from({ length: AHEAD_DAYS + 1 }, (_, i) => (today + i) * DAY));
    },
    /**
     * Drops the partitions of days wholly before `before` on `client`; returns the events they
     * held. A partition whose lock cannot be had at once stays: its rows are deleted with the rest.
     */
    async drop(client: pg.PoolClient, before: number): Promise<number> {
      await loadOnce();
      purgedDay = Math.max(purgedDay, Math.floor(before / DAY));
      let events = 0;
      for (const { name } of await rows<{ name: string }>(client, partitionsOf, [])) {
        const day = dayOfName(name);
        if (day === null || (day + 1) * DAY > before) continue;
        try {
          await client.query('BEGIN');
          await client.query("SET LOCAL lock_timeout = '2s'");
          const { rows: counted } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
          await client.query(`DROP TABLE ${name}`);
          await client.query('COMMIT');
          events += Number(counted[0]?.n ?? 0);
          settled.delete(day);
          stats.dropped++;
        } catch {
          await client.query('ROLLBACK').catch(() => undefined);
        }
      }
      return events;
    },
    stats: (): PartitionStats => ({ ...stats }),
  };
}
