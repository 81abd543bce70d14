import type { Store } from '../../src/db/store.js';

/** A store under test and how to get rid of it. */
export interface StoreHarness {
  store: Store;
  /** Opens another store on the same database (closed by `cleanup`). */
  reopen(): Promise<Store>;
  /** Closes every store opened here and deletes the database. */
  cleanup(): Promise<void>;
}

/** Makes a fresh, empty store; `now` is its clock for created-at and received-at stamps. */
export type StoreFactory = (now?: () => number) => Promise<StoreHarness>;

/** What each part of the contract gets: a fresh store per test, and another store on its database. */
export interface ContractContext {
  fresh(now?: () => number): Promise<Store>;
  reopen(): Promise<Store>;
}

/** Noon UTC on 1 March 2026, the instant most contract tests are built around. */
export const T = Date.UTC(2026, 2, 1, 12);
