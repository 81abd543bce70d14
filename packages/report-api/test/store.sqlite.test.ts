import { describe } from 'vitest';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import type { Store } from '../src/db/store.js';
import { tempStore } from './helpers.js';
import { storeContract } from './store-contract/index.js';

// The store contract on SQLite: a fresh database file per test. SQLite-only behaviour (group
// commit, rollups held in memory, the per-minute index) is tested in src/db/sqlite/.
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
