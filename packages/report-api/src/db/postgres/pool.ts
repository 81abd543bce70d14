import { createHash } from 'node:crypto';
import pg from 'pg';

/** A pool or one of its checked-out connections: what the stores query through. */
export type Queryable = pg.Pool | pg.PoolClient;

/** A parameterised SQL statement, prepared once per connection under a name derived from its text. */
export interface Statement {
  name: string;
  text: string;
}

/**
 * A named statement: the server parses and plans it once per connection, later runs only bind
 * values. The name is a hash of the text, so two call sites with the same SQL share one.
 *
 * @example
 * const bySite = statement('SELECT * FROM sites WHERE id = $1');
 * const [site] = await rows(pool, bySite, ['site_1']);
 */
export function statement(text: string): Statement {
  return { name: `wp_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`, text };
}

/**
 * Runs a statement and returns its rows.
 *
 * @example
 * const sites = await rows<{ id: string }>(pool, statement('SELECT id FROM sites'), []);
 */
export async function rows<R extends pg.QueryResultRow>(db: Queryable, st: Statement, values: unknown[]): Promise<R[]> {
  return (await db.query<R>({ name: st.name, text: st.text, values })).rows;
}

/**
 * Runs a statement and returns how many rows it inserted, updated or deleted.
 *
 * @example
 * const remove = statement('DELETE FROM deny_entries WHERE site_id = $1 AND id = $2');
 * const removed = await changes(pool, remove, [siteId, id]);
 */
export async function changes(db: Queryable, st: Statement, values: unknown[]): Promise<number> {
  return (await db.query({ name: st.name, text: st.text, values })).rowCount ?? 0;
}

/**
 * Runs `work` in one transaction on one connection of the pool: COMMIT when it resolves, ROLLBACK
 * when it throws (and the error is rethrown). A connection that failed mid-transaction is discarded
 * rather than returned to the pool.
 *
 * @example
 * await transaction(pool, async (client) => {
 *   await changes(client, insertSite, [...]);
 *   await changes(client, insertKey, [...]);
 * });
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

/** int8 (`bigint`, `count(*)`) as a JS number: epoch ms, ids and counts here stay far below 2^53. */
const INT8_OID = 20;

/** Options of `createPool`. */
export interface PoolOptions {
  url: string;
  /** Schema (search_path) of every connection; validated by the caller. */
  schema: string;
  max: number;
  connectTimeoutMs: number;
  onError: (error: Error) => void;
}

/**
 * A node-postgres pool for the store: int8 read as numbers, the schema on the search path of each
 * connection, a connect timeout so an unreachable server fails instead of hanging, and errors of idle
 * connections (a server restart) reported instead of crashing the process.
 *
 * @example
 * const pool = createPool({ url, schema: 'public', max: 10, connectTimeoutMs: 10_000, onError: console.error });
 */
export function createPool({ url, schema, max, connectTimeoutMs, onError }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'watchpost',
    options: `-c search_path=${schema}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
    },
  });
  pool.on('error', onError);
  return pool;
}
