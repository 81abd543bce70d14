import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openPostgresStore, redactPostgresUrl, type PostgresStoreOptions } from '../src/db/postgres/open.js';

/**
 * The PostgreSQL server of the PostgreSQL store tests. Default: the local server that .ci/run starts
 * (trust auth on loopback); `WATCHPOST_TEST_POSTGRES_URL` points elsewhere.
 */
export const TEST_POSTGRES_URL =
  process.env.WATCHPOST_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const IN_CI = process.env.CI === 'true';

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || (error as { code?: string }).code || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL cannot be used, or null when it can. */
export const postgresProblem: string | null = await probe();
const WHERE = redactPostgresUrl(TEST_POSTGRES_URL);
const skip = postgresProblem !== null && !IN_CI;

if (skip) {
  console.warn(
    `\n!!! PostgreSQL store tests SKIPPED: no PostgreSQL at ${WHERE} (${postgresProblem}). ` +
      'Start one (see .ci/run) or set WATCHPOST_TEST_POSTGRES_URL. In CI (CI=true) they fail instead.\n',
  );
}

/**
 * `describe` for tests that need PostgreSQL: skipped, with a loud warning, when the server is not
 * reachable; with `CI=true` never skipped (their set-up fails instead, naming what is missing).
 *
 * @example
 * describePostgres('postgres store', () => { it('...', async () => { const t = await tempPostgresStore(); ... }); });
 */
export function describePostgres(name: string, body: () => void): void {
  describe.skipIf(skip)(skip ? `${name} (SKIPPED: no PostgreSQL at ${WHERE})` : name, body);
}

/**
 * A PostgreSQL store in a fresh schema of its own (created here, dropped by `cleanup()`), so tests
 * never see each other's rows. `open()` opens another store on the same schema: a second report-api
 * instance sharing the database.
 *
 * @example
 * const t = await tempPostgresStore(); afterEach(() => t.cleanup());
 */
export async function tempPostgresStore(options: Omit<PostgresStoreOptions, 'url' | 'schema'> = {}) {
  if (postgresProblem !== null) {
    throw new Error(
      `CI=true but PostgreSQL is not reachable at ${WHERE} (${postgresProblem}): start it before the tests ` +
        `(.ci/run does) or set WATCHPOST_TEST_POSTGRES_URL`,
    );
  }
  const schema = `wp_test_${randomBytes(6).toString('hex')}`;
  const stores: Array<{ close(): Promise<void> }> = [];
  const open = async (more: Omit<PostgresStoreOptions, 'url' | 'schema'> = {}) => {
    const store = await openPostgresStore({ url: TEST_POSTGRES_URL, schema, maxConnections: 4, ...options, ...more });
    stores.push(store);
    return store;
  };
  const store = await open();
  return {
    store,
    schema,
    /** The test URL with `?schema=` of this store, as the CLI takes it. */
    url: `${TEST_POSTGRES_URL}${TEST_POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`,
    open,
    async cleanup() {
      for (const s of stores) await s.close();
      await dropSchema(schema);
    },
  };
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
