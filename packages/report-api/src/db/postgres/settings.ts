import type pg from 'pg';
import type { SettingsStore } from '../settings.js';
import { changes, rows, statement } from './pool.js';

const insert = statement(
  'INSERT INTO settings (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
);
const select = statement('SELECT value FROM settings WHERE name = $1');
// starts_with, not LIKE: a prefix may hold % or _.
const remove = statement('DELETE FROM settings WHERE starts_with(name, $1) AND created_at < $2');

/**
 * `SettingsStore` on PostgreSQL: insert unless present, then read back, so report-api instances
 * starting at once all keep the value stored first.
 *
 * @example
 * const settings = postgresSettingsStore(pool, Date.now);
 * await settings.settingOrCreate('dashboard.sessionSecret', () => 'x'.repeat(44));
 */
export function postgresSettingsStore(pool: pg.Pool, now: () => number): SettingsStore {
  return {
    async settingOrCreate(name, create) {
      const [stored] = await rows<{ value: string }>(pool, select, [name]);
      if (stored) return stored.value;
      await changes(pool, insert, [name, create(), now()]);
      const [value] = await rows<{ value: string }>(pool, select, [name]);
      return value!.value;
    },
    async setting(name) {
      const [stored] = await rows<{ value: string }>(pool, select, [name]);
      return stored?.value ?? null;
    },
    deleteSettings(prefix, createdBefore) {
      return changes(pool, remove, [prefix, createdBefore]);
    },
  };
}
