import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './open.js';
import { KIND_FILTERS } from '../rows.js';
import { kindSql } from './event-list.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function plan(kind: keyof typeof KIND_FILTERS): string {
  const dir = mkdtempSync(join(tmpdir(), 'wp-event-list-'));
  dirs.push(dir);
  const store = openSqliteStore({ path: join(dir, 'w.db') });
  try {
    const rows = store.db.prepare(`EXPLAIN QUERY PLAN ${kindSql(kind)}`).all('s', 0, 1, 10);
    return (rows as Array<{ detail: string }>).map((row) => row.detail).join('\n');
  } finally {
    store.db.close();
  }
}

describe('listing events of one kind on SQLite', () => {
  // A day of 10M events holds ~90k login attempts: scanning the day for them took 6.6 s (bench/report.ts).
  it.each([
    ['login', 'events_site_ts_login'],
    ['rate', 'events_site_ts_rate'],
  ] as const)('%s events are read from the partial index %s alone, not the whole day', (kind, index) => {
    expect(plan(kind)).toContain(`USING COVERING INDEX ${index}`);
  });
});
