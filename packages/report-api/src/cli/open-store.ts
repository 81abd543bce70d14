import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Store } from '../db/store.js';
import { openSqliteStore } from '../db/sqlite/open.js';
import { type ParsedArgs, stringOption, UsageError } from './args.js';

/**
 * Opens the SQLite store at `--db PATH` (created and migrated when new). A missing parent directory
 * is a usage error, not a stack trace.
 *
 * @example
 * const store = openStoreFromArgs('./watchpost.db');
 */
export function openStoreFromArgs(path: string): Store {
  const full = resolve(path);
  if (!existsSync(dirname(full))) throw new UsageError(`--db: directory ${dirname(full)} does not exist`);
  try {
    return openSqliteStore({ path: full });
  } catch (error) {
    throw new UsageError(`--db: cannot open ${full} as a Watchpost database: ${(error as Error).message}`);
  }
}

/**
 * Opens the store of `--db`, runs `action` and closes the store, also when `action` throws.
 *
 * @example
 * return withStore(args, async (store) => { io.out(JSON.stringify(await store.listSites())); return 0; });
 */
export async function withStore(args: ParsedArgs, action: (store: Store) => Promise<number>): Promise<number> {
  const store = openStoreFromArgs(stringOption(args, 'db', true));
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}
