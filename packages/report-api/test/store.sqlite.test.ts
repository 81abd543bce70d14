import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import type { Store } from '../src/db/store.js';
import { tempStore } from './helpers.js';
import { storeContract } from './store-contract/index.js';

// The store contract on SQLite: a fresh database file per test, with events written on the calling
// thread and on a writer thread (as `watchpost serve` does). SQLite-only behaviour (group commit,
// rollups held in memory, the per-minute index, the writer thread) is tested in src/db/sqlite/.
describe('store contract: sqlite', () => {
  storeContract(async (now) => {
    const t = tempStore(now);
    const reopened: Store[] = [];
    return {
      store: t.store,
      async reopen() {
        const store = openSqliteStore({ path: t.path });
        reopened.push(store);
        return store;
      },
      async cleanup() {
        for (const store of reopened) await store.close();
        await t.cleanup();
      },
    };
  });
});

describe('store contract: sqlite with a writer thread', () => {
  storeContract(async (now) => {
    const dir = mkdtempSync(join(tmpdir(), 'watchpost-test-'));
    const path = join(dir, 'watchpost.db');
    const opened: Store[] = [openSqliteStore({ path, now, writerThread: true })];
    return {
      store: opened[0]!,
      async reopen() {
        const store = openSqliteStore({ path, writerThread: true });
        opened.push(store);
        return store;
      },
      async cleanup() {
        for (const store of opened) await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
