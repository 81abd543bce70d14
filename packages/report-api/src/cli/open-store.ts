import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Site, Store } from '../db/store.js';
import { openSqliteStore, type SqliteStoreOptions } from '../db/sqlite/open.js';
import { type ParsedArgs, stringOption, UsageError } from './args.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;
/** `scheme://` at the start of `--db`: a URL, never a file name (a bare `C:\dir` or `name:x` stays a path). */
const ANY_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
// eslint-disable-next-line no-control-regex -- a control byte in --db is a paste accident, never a file name
const CONTROL = /[\u0000-\u001f\u007f]/;
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
 * Checks the text of `--db` before anything is opened: a file path, or a `postgres://` /
 * `postgresql://` URL. Any other `scheme://` is a usage error (exit 2): `mysql://`, `http://`, and
 * `sqlite://` too (a SQLite database is given by its file path; `sqlite:///x` vs `sqlite://x` is ambiguous).
 *
 * @example
 * checkDbOption('mysql://db/x'); // throws UsageError
 */
export function checkDbOption(db: string): void {
  if (db === '') throw new UsageError('--db: empty; pass a SQLite file path or a postgres:// URL');
  if (CONTROL.test(db)) throw new UsageError('--db: contains a control character');
  const scheme = ANY_URL.exec(db)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'postgres' || scheme === 'postgresql') return;
  if (scheme === 'sqlite' || scheme === 'file')
    throw new UsageError(
      `--db: ${scheme}:// URLs are not taken; pass the SQLite file path itself, e.g. --db ./watchpost.db`,
    );
  throw new UsageError(
    `--db: unsupported scheme ${JSON.stringify(`${scheme}://`)}; pass a SQLite file path, or a postgres:// or ` +
      `postgresql:// URL`,
  );
}

/**
 * `--db` names a SQLite file that does not exist, for a command that only reads (exit 1).
 *
 * @example
 * throw new MissingDatabaseError('./watchpost.db');
 */
export class MissingDatabaseError extends Error {
  override name = 'MissingDatabaseError';
  constructor(db: string) {
    super(`no database at ${db}; run \`watchpost serve\` or pass --db`);
  }
}

/** Options of {@link openStoreFromArgs}. */
export interface OpenStoreOptions extends Pick<SqliteStoreOptions, 'writerThread' | 'onWriterFailure' | 'rollups'> {
  /** Refuse a SQLite file that does not exist instead of creating it: commands that only read. Default false. */
  mustExist?: boolean;
}

/**
 * Opens the store of `--db`: a `postgres://` / `postgresql://` URL opens the PostgreSQL store (an
 * optional `?schema=NAME` keeps the tables in that schema instead of `public`), anything else is a
 * SQLite file (created and migrated when new, unless `mustExist`: then a missing file is a
 * {@link MissingDatabaseError} and nothing is created). Another scheme, a malformed URL, an unreachable server, a
 * refused login or a missing parent directory is a usage error (one line, exit 2), not a stack trace.
 * `writerThread` (SQLite only) writes events on a thread of their own, for `serve`; `onWriterFailure`
 * hears if that thread dies; `rollups` (SQLite only) says how long rollups wait in memory.
 *
 * @example
 * const store = await openStoreFromArgs('./watchpost.db');
 * const shared = await openStoreFromArgs('postgres://watchpost@db.internal:5432/watchpost');
 */
export async function openStoreFromArgs(
  db: string,
  { writerThread = false, onWriterFailure, mustExist = false, rollups }: OpenStoreOptions = {},
): Promise<Store> {
  checkDbOption(db);
  if (isPostgresUrl(db)) return openPostgres(db, mustExist);
  const full = resolve(db);
  if (!existsSync(dirname(full))) throw new UsageError(`--db: directory ${dirname(full)} does not exist`);
  if (mustExist && !existsSync(full)) throw new MissingDatabaseError(db);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`--db: ${full} is a directory`);
  try {
    return openSqliteStore({ path: full, writerThread, onWriterFailure, rollups });
  } catch (error) {
    throw new UsageError(`--db: cannot open ${full} as a Watchpost database: ${(error as Error).message}`);
  }
}

async function openPostgres(text: string, mustExist: boolean): Promise<Store> {
  // Loaded only for a PostgreSQL URL: the driver and its store are ~5 MB a SQLite run need not hold.
  const { MissingPostgresSchemaError, openPostgresStore, redactPostgresUrl } = await import('../db/postgres/open.js');
  if (!URL.canParse(text)) {
    throw new UsageError(
      `--db: malformed PostgreSQL URL ${JSON.stringify(redactPostgresUrl(text))}; expected ` +
        `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`,
    );
  }
  const url = new URL(text);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  try {
    return await openPostgresStore({ url: url.toString(), schema, connectTimeoutMs: CONNECT_TIMEOUT_MS, mustExist });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(`--db: ${error.message}`);
    if (error instanceof MissingPostgresSchemaError) throw new MissingDatabaseError(redactPostgresUrl(text));
    throw new UsageError(
      `--db: cannot open the PostgreSQL database at ${redactPostgresUrl(url.toString())}: ${describeError(error)}`,
    );
  }
}

/**
 * A one-line reason; Node reports a refused connection to a name with several addresses as an AggregateError without a
 * message.
 */
function describeError(error: unknown): string {
  const e = error as { message?: string; code?: string; errors?: Array<{ message?: string }> };
  const text = e?.message || e?.errors?.[0]?.message || e?.code || String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Opens the store of `--db`, runs `action` and closes the store, also when `action` throws.
 * `mustExist` for commands that only read: a missing SQLite file is an error, not a new database.
 *
 * @example
 * return withStore(args, async (store) => { io.out(JSON.stringify(await store.listSites())); return 0; });
 */
export async function withStore(
  args: ParsedArgs,
  action: (store: Store) => Promise<number>,
  { mustExist = false }: { mustExist?: boolean } = {},
): Promise<number> {
  const store = await openStoreFromArgs(stringOption(args, 'db', true), { mustExist });
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

/**
 * Opens the store of `--db`, resolves `--site`, runs `action`, and closes the store. A missing SQLite
 * file is an error (a new database has no sites), so no command that takes `--site` creates one.
 *
 * @example
 * return withSite(args, async (store, site) => { io.out(site.name); return 0; });
 */
export async function withSite(
  args: ParsedArgs,
  action: (store: Store, site: Site) => Promise<number>,
): Promise<number> {
  const siteId = stringOption(args, 'site', true);
  const store = await openStoreFromArgs(stringOption(args, 'db', true), { mustExist: true });
  try {
    const site = await store.getSite(siteId);
    if (!site)
      throw new UsageError(`--site: no site ${JSON.stringify(siteId)} in this database (see watchpost sites list)`);
    return await action(store, site);
  } finally {
    await store.close();
  }
}
