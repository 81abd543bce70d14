import type Database from 'better-sqlite3';
import { positional, type Executor, type SqlValue } from '../executor.js';

/**
 * The `Executor` of a better-sqlite3 connection: each SQL text is prepared once and kept.
 *
 * @example
 * const db = sqliteExecutor(connection);
 * await db.run('DELETE FROM webhooks WHERE site_id = $1 AND id = $2', [siteId, id]);
 */
export function sqliteExecutor(connection: Database.Database): Executor {
  const prepared = new Map<string, { statement: Database.Statement; order: number[] }>();
  function bind(sql: string, params: readonly SqlValue[]) {
    let entry = prepared.get(sql);
    if (!entry) {
      const { text, order } = positional(sql);
      entry = { statement: connection.prepare(text), order };
      prepared.set(sql, entry);
    }
    const values = entry.order.map((index) => {
      const value = params[index];
      return typeof value === 'boolean' ? Number(value) : value;
    });
    return { statement: entry.statement, values };
  }
  return {
    binary: '',
    async all<Row>(sql: string, params: readonly SqlValue[] = []) {
      const { statement, values } = bind(sql, params);
      return statement.all(...values) as Row[];
    },
    async run(sql, params = []) {
      const { statement, values } = bind(sql, params);
      return statement.run(...values).changes;
    },
    async batch(statements) {
      // Synchronous inside: no other work on this connection runs between the statements.
      connection.transaction(() => {
        for (const { sql, params } of statements) {
          const { statement, values } = bind(sql, params);
          statement.run(...values);
        }
      })();
    },
  };
}
