import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A copy of a migrations folder whose journal ends at `lastTag`: the schema of an older version, for
 * tests that upgrade a database built by it. The copy is removed by the cleanup pushed onto `cleanups`.
 *
 * @example
 * const old = migrationsUpTo(SQLITE_MIGRATIONS, '0014_events_login', cleanups);
 */
export function migrationsUpTo(folder: string, lastTag: string, cleanups: Array<() => unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'watchpost-migrations-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(folder, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  if (last < 0) throw new Error(`no migration ${lastTag} in ${folder}`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
  return dir;
}
