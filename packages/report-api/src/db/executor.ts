/**
 * The small surface the plain CRUD stores (deny list, alerts) are written once over, for SQLite and
 * PostgreSQL alike. SQL is written with PostgreSQL's `$1` placeholders; the SQLite executor rewrites
 * them to `?` and binds booleans as 1/0. Text that must sort byte-wise on both takes `binary` after it
 * (` COLLATE "C"` on PostgreSQL; nothing on SQLite, whose default collation is byte-wise).
 *
 * There are no open transactions here on purpose: better-sqlite3 runs a transaction synchronously, and an
 * `await` inside one would let other work on the same connection slip into it. `batch` runs a list of
 * statements known in advance as one transaction (nothing runs between them); stores whose writes
 * depend on what they read in between (sites, keys, ingest) stay per dialect.
 */

/** A value a statement binds. */
export type SqlValue = string | number | boolean | null;

/**
 * Runs parameterised SQL on one database.
 *
 * @example
 * const sql = `SELECT id FROM webhooks WHERE site_id = $1 ORDER BY id${db.binary}`;
 * const rows = await db.all<{ id: string }>(sql, [siteId]);
 */
export interface Executor {
  /** The collation suffix that orders text byte-wise. */
  readonly binary: string;
  /** The rows of a query. */
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement; how many rows it inserted, updated or deleted. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs the statements in order as one transaction: all of them, or none when one fails. */
  batch(statements: readonly SqlStatement[]): Promise<void>;
}

/** One statement of a `batch`. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** `$n` placeholders in order of appearance, for dialects that bind positionally (`?`). */
export function positional(sql: string): { text: string; order: number[] } {
  const order: number[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    order.push(Number(n) - 1);
    return '?';
  });
  return { text, order };
}
