import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Site, Store } from '../db/store.js';
import { openPostgresStore, redactPostgresUrl } from '../db/postgres/open.js';
import { openSqliteStore, type SqliteStoreOptions } from '../db/sqlite/open.js';
import { type ParsedArgs, stringOption, UsageError } from './args.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
/** How long the CLI waits for PostgreSQL before it gives up with a usage error. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Whether `--db` names a PostgreSQL server (`postgres://` or `postgresql://`) rather than a SQLite file.
 *
 * @example
 * isPostgresUrl('postgres://watchpost@db:5432/watchpost'); // true
 */
export function isPostgresUrl(db: string): boolean {
  return POSTGRES_URL.test(db);
}

/**
 * Opens the store of `--db`: a `postgres://` / `postgresql://` URL opens the PostgreSQL store (an
 * optional `?schema=NAME` keeps the tables in that schema instead of `public`), anything else is a
 * SQLite file (created and migrated when new). A malformed URL, an unreachable server, a refused
 * login or a missing parent directory is a usage error (one line, exit 2), not a stack trace.
 * `writerThread` (SQLite only) writes events on a thread of their own, for `serve`; `onWriterFailure`
 * hears if that thread dies.
 *
 * @example
 * const store = await openStoreFromArgs('./watchpost.db');
 * const shared = await openStoreFromArgs('postgres://watchpost@db.internal:5432/watchpost');
 */
export async function openStoreFromArgs(
  db: string,
  { writerThread = false, onWriterFailure }: Pick<SqliteStoreOptions, 'writerThread' | 'onWriterFailure'> = {},
): Promise<Store> {
  if (isPostgresUrl(db)) return openPostgres(db);
  const full = resolve(db);
  if (!existsSync(dirname(full))) throw new UsageError(`--db: directory ${dirname(full)} does not exist`);
  try {
    return openSqliteStore({ path: full, writerThread, onWriterFailure });
  } catch (error) {
    throw new UsageError(`--db: cannot open ${full} as a Watchpost database: ${(error as Error).message}`);
  }
}

async function openPostgres(text: string): Promise<Store> {
  if (!URL.canParse(text)) {
    throw new UsageError(
      `--db: malformed PostgreSQL URL ${JSON.stringify(redactPostgresUrl(text))}; expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`,
    );
  }
  const url = new URL(text);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  try {
    return await openPostgresStore({ url: url.toString(), schema, connectTimeoutMs: CONNECT_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(`--db: ${error.message}`);
    throw new UsageError(
      `--db: cannot open the PostgreSQL database at ${redactPostgresUrl(url.toString())}: ${describeError(error)}`,
    );
  }
}

/** A one-line reason; Node reports a refused connection to a name with several addresses as an AggregateError without a message. */
function describeError(error: unknown): string {
  const e = error as { message?: string; code?: string; errors?: Array<{ message?: string }> };
  const text = e?.message || e?.errors?.[0]?.message || e?.code || String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Opens the store of `--db`, runs `action` and closes the store, also when `action` throws.
 *
 * @example
 * return withStore(args, async (store) => { io.out(JSON.stringify(await store.listSites())); return 0; });
 */
export async function withStore(args: ParsedArgs, action: (store: Store) => Promise<number>): Promise<number> {
  const store = await openStoreFromArgs(stringOption(args, 'db', true));
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

/**
 * Opens the store of `--db`, resolves `--site`, runs `action`, and closes the store.
 *
 * @example
 * return withSite(args, async (store, site) => { io.out(site.name); return 0; });
 */
export async function withSite(
  args: ParsedArgs,
  action: (store: Store, site: Site) => Promise<number>,
): Promise<number> {
  const siteId = stringOption(args, 'site', true);
  const store = await openStoreFromArgs(stringOption(args, 'db', true));
  try {
    const site = await store.getSite(siteId);
    if (!site)
      throw new UsageError(`--site: no site ${JSON.stringify(siteId)} in this database (see watchpost sites list)`);
    return await action(store, site);
  } finally {
    await store.close();
  }
}
