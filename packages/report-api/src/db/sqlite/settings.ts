import type Database from 'better-sqlite3';
import type { SettingsStore } from '../settings.js';

/**
 * `SettingsStore` on SQLite: `INSERT OR IGNORE` then read back, so a concurrent first start of two
 * processes keeps one value.
 *
 * @example
 * const settings = sqliteSettingsStore(db, Date.now);
 * await settings.settingOrCreate('dashboard.sessionSecret', () => 'x'.repeat(44));
 */
export function sqliteSettingsStore(db: Database.Database, now: () => number): SettingsStore {
  const insert = db.prepare('INSERT OR IGNORE INTO settings (name, value, created_at) VALUES (?, ?, ?)');
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?');
  // substr, not LIKE: a prefix may hold % or _.
  const remove = db.prepare('DELETE FROM settings WHERE substr(name, 1, length(?)) = ? AND created_at < ?');
  return {
    async settingOrCreate(name, create) {
      const stored = select.get(name);
      if (stored) return stored.value;
      insert.run(name, create(), now());
      return select.get(name)!.value;
    },
    async setting(name) {
      return select.get(name)?.value ?? null;
    },
    async deleteSettings(prefix, createdBefore) {
      return remove.run(prefix, prefix, createdBefore).changes;
    },
  };
}
