import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { alertStoreOn } from '../alert-store.js';
import { caseStoreOn } from '../cases.js';
import { findingStoreOn } from '../findings.js';
import { policyStoreOn } from '../policies.js';
import { intelStoreOn } from '../intel.js';
import { botActivityOn } from '../bot-activity.js';
import { denyListStoreOn } from '../denylist.js';
import { postgresExecutor } from './executor.js';
import type { Store } from '../store.js';
import { localDayOf } from '../../time/local-day.js';
import { postgresDrillDownStore } from './drilldown.js';
import { postgresEventStore } from './events.js';
import { createPool, rows, statement } from './pool.js';
import { postgresRollupStore } from './rollups.js';
import { postgresLeaseStore } from './leases.js';
import { postgresIngestStatsStore } from './ingest-stats.js';
import { postgresSettingsStore } from './settings.js';
import { postgresSiteStore } from './sites.js';
import { postgresKeyStore } from './keys.js';
import { postgresAuditStore } from './audit.js';

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database` (or `postgresql://`); libpq query options such as `sslmode` work. */
  url: string;
  /**
   * Schema that holds the tables (and the migration record); created when missing. Default `public`.
   * Lets several deployments, or tests, share one database.
   */
  schema?: string;
  /** Most connections this process opens. Default 10: every report-api instance has its own pool. */
  maxConnections?: number;
  /** How long to wait for a connection before failing, in ms. Default 10,000. */
  connectTimeoutMs?: number;
  /** Clock for created-at stamps and batch receipt times. Default `Date.now`. */
  now?: () => number;
  /** Called with errors of idle pooled connections (e.g. a server restart). Default `console.error`. */
  onError?: (error: Error) => void;
  /**
   * Refuse a schema that holds no Watchpost tables instead of creating them (commands that only
   * read): rejects with a {@link MissingPostgresSchemaError} and changes nothing. Default false.
   */
  mustExist?: boolean;
}

/**
 * The PostgreSQL schema holds no Watchpost tables and the caller asked not to create them.
 *
 * @example
 * await openPostgresStore({ url, mustExist: true }); // rejects with this on an empty database
 */
export class MissingPostgresSchemaError extends Error {
  override name = 'MissingPostgresSchemaError';
  constructor(schema: string) {
    super(`no Watchpost tables in schema ${JSON.stringify(schema)}; run \`watchpost serve\` on it first`);
  }
}

const MIGRATIONS = fileURLToPath(new URL('../../../drizzle-pg', import.meta.url));
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const schemaExists = statement('SELECT 1 FROM pg_namespace WHERE nspname = $1');
const sitesTable = statement('SELECT to_regclass($1)::text AS sites');
const zoneOfSite = statement('SELECT time_zone FROM sites WHERE id = $1');

/** `url` with its password replaced, for messages. */
export function redactPostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Opens a PostgreSQL database as a `Store`: a connection pool (drizzle-orm's node-postgres driver
 * over `pg`), migrations from drizzle-pg/ applied under an advisory lock (report-api instances
 * starting together migrate once), then the same behaviour as the SQLite store. Any number of
 * report-api instances may share the database: batches are idempotent across them and every write
 * (rollups included) is committed before `ingestBatch` resolves, so each instance reads what any
 * other wrote. Rejects when the server cannot be reached or the migrations fail; `close()` ends the pool.
 *
 * @example
 * const store = await openPostgresStore({ url: 'postgres://watchpost@db.internal:5432/watchpost' });
 * console.log(await store.listSites());
 * await store.close();
 */
export async function openPostgresStore({
  url,
  schema = 'public',
  maxConnections = 10,
  connectTimeoutMs = 10_000,
  now = Date.now,
  onError = (error) => console.error('watchpost: PostgreSQL connection error:', error.message),
  mustExist = false,
}: PostgresStoreOptions): Promise<Store & { pool: pg.Pool }> {
  if (!URL.canParse(url) || !/^postgres(ql)?:$/.test(new URL(url).protocol)) {
    throw new TypeError(
      `url must be a postgres:// or postgresql:// URL, got ${JSON.stringify(redactPostgresUrl(url))}`,
    );
  }
  if (!SCHEMA_NAME.test(schema))
    throw new TypeError(`schema must be a lower-case SQL identifier, got ${JSON.stringify(schema)}`);
  if (!Number.isInteger(maxConnections) || maxConnections < 1 || maxConnections > 1000) {
    throw new TypeError(`maxConnections must be an integer from 1 to 1000, got ${maxConnections}`);
  }
  if (!(connectTimeoutMs > 0)) throw new TypeError(`connectTimeoutMs must be positive, got ${connectTimeoutMs}`);

  const pool = createPool({ url, schema, max: maxConnections, connectTimeoutMs, onError });
  try {
    if (mustExist) {
      const [found] = await rows<{ sites: string | null }>(pool, sitesTable, [`"${schema}".sites`]);
      if (found?.sites == null) throw new MissingPostgresSchemaError(schema);
    }
    await migrateSchema(pool, schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  // Site time zones never change, so they are cached for the ingest hot path.
  const localDays = new Map<string, (ms: number) => string>();
  const localDayOfSite = async (siteId: string) => {
    let localDay = localDays.get(siteId);
    if (!localDay) {
      const [row] = await rows<{ time_zone: string }>(pool, zoneOfSite, [siteId]);
      if (!row) return null;
      localDays.set(siteId, (localDay = localDayOf(row.time_zone)));
    }
    return localDay;
  };

  const executor = postgresExecutor(pool);
  const methods = {
    ...postgresSiteStore(pool, now),
    ...postgresEventStore(pool, localDayOfSite, now),
    ...denyListStoreOn(executor),
    ...postgresKeyStore(pool),
    ...postgresAuditStore(pool),
    ...postgresRollupStore(pool),
    ...postgresDrillDownStore(pool),
    ...alertStoreOn(executor),
    ...caseStoreOn(executor),
    ...findingStoreOn(executor),
    ...policyStoreOn(executor),
    ...intelStoreOn(executor),
    ...botActivityOn(executor),
    ...postgresSettingsStore(pool, now),
    ...postgresLeaseStore(pool),
    ...postgresIngestStatsStore(pool),
  };
  return { pool, ...closeAfterCalls(methods, () => pool.end()) };
}

/**
 * The store's methods, counted while they run, and a `close()` that refuses new calls, waits for
 * the calls in flight (an ingest accepted before a shutdown still commits and answers), then runs
 * `end`. Safe to call twice.
 */
function closeAfterCalls<T extends object>(methods: T, end: () => Promise<void>): T & { close(): Promise<void> } {
  let running = 0;
  let drained: (() => void) | null = null;
  let closing: Promise<void> | null = null;
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(methods) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => {
      if (closing) throw new Error(`PostgreSQL store is closed (${name} called after close())`);
      running++;
      try {
        return await method(...args);
      } finally {
        if (--running === 0) drained?.();
      }
    };
  }
  const close = () => {
    closing ??= (async () => {
      if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
      await end();
    })();
    return closing;
  };
  return { ...(wrapped as T), close };
}

/** Creates the schema when missing and applies the migrations, one process at a time. */
async function migrateSchema(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    // A session-level lock: another process migrating the same schema finishes first.
    await client.query("SELECT pg_advisory_lock(hashtext('watchpost.migrate.' || $1))", [schema]);
    // Only when missing: CREATE SCHEMA needs a right on the database that an existing schema does not.
    if ((await rows(client, schemaExists, [schema])).length === 0)
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS, migrationsSchema: schema });
    await client.query("SELECT pg_advisory_unlock(hashtext('watchpost.migrate.' || $1))", [schema]);
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    // On failure the connection is closed rather than reused: that also releases the lock.
    client.release(failed);
  }
}
