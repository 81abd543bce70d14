import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Store } from '../db/store.js';
import { openSqliteStore } from '../db/sqlite/open.js';
import { UsageError } from './args.js';

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
