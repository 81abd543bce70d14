import type pg from 'pg';
import type { Executor } from '../executor.js';
import { changes, rows, statement, transaction, type Statement } from './pool.js';

/**
 * The `Executor` of a PostgreSQL pool: named prepared statements (one per SQL text), text ordered
 * byte-wise with `COLLATE "C"` as SQLite orders it.
 *
 * @example
 * const db = postgresExecutor(pool);
 * await db.all('SELECT id FROM webhooks WHERE site_id = $1', [siteId]);
 */
export function postgresExecutor(pool: pg.Pool): Executor {
  const statements = new Map<string, Statement>();
  const named = (sql: string): Statement => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = statement(sql)));
    return st;
  };
  return {
    binary: ' COLLATE "C"',
    async all<Row>(sql: string, params: readonly unknown[] = []) {
      return (await rows(pool, named(sql), [...params])) as Row[];
    },
    run: (sql, params = []) => changes(pool, named(sql), [...params]),
    async batch(list) {
      await transaction(pool, async (client) => {
        for (const { sql, params } of list) await changes(client, named(sql), [...params]);
      });
    },
  };
}
