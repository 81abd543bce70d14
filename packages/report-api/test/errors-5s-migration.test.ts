import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/db/postgres/open.js';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import type { Store } from '../src/db/store.js';
import { buildDailyReport } from '../src/reports/build.js';
import { describePostgres, dropSchema, TEST_POSTGRES_URL } from './postgres.js';
import { migrationsUpTo } from './support/migrations.js';

// A database written by a version with 30-second error rollups, upgraded: every old burst is still
// in the report with its count and its IPs, and two adjacent old windows are not added up.
const DAY = Date.UTC(2026, 2, 1);
const EDGE = DAY + 10 * 3_600_000;
const SITE = ['site_old', 'old shop', 'UTC', null, DAY - 86_400_000] as const;
const ERRORS_30S: Array<[number, number]> = [
  [EDGE, 150],
  [EDGE + 30_000, 60],
  [EDGE + 7_200_000, 75],
  [EDGE + 7_230_000, 75],
];
const IP_ERRORS_30S: Array<[number, string, number]> = [
  [EDGE, '192.0.2.1', 90],
  [EDGE, '192.0.2.2', 60],
  [EDGE + 30_000, '192.0.2.1', 60],
];

// The day rollups of the same traffic, as that version wrote them beside the error rollups: the
// report asks them which IPs could have a burst before it sums their 5-s rows.
const IP_DAYS: Array<[string, number]> = [
  ['192.0.2.1', 150],
  ['192.0.2.2', 60],
];
const IP_DAY_SQL =
  "INSERT INTO rollup_day (site_id, day, dim, key, requests, s4xx) VALUES ($1, '2026-03-01', 'ip', $2, $3, $3)";

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function expectOldBurstsKept(store: Store) {
  const [site] = await store.listSites();
  const report = await buildDailyReport(store, site!, '2026-03-01');
  expect(report.bursts).toEqual([
    {
      start: EDGE,
      end: EDGE + 5_000,
      errors: 150,
      ips: [
        { ip: '192.0.2.1', errors: 90 },
        { ip: '192.0.2.2', errors: 60 },
      ],
    },
  ]);
  const evidence = report.recommendations.filter((r) => r.kinds.includes('burst')).map((r) => [r.ip, r.reasons[0]]);
  expect(evidence).toEqual([
    ['192.0.2.1', 'burst of 90 4xx/5xx in 30 s at 10:00'],
    ['192.0.2.2', 'burst of 60 4xx/5xx in 30 s at 10:00'],
  ]);
}

describe('upgrade from 30-second error rollups: sqlite', () => {
  it('turns each 30-s row into one 5-s row at its start, so old bursts keep their counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchpost-test-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'old.db');
    const old = new Database(path);
    sqliteMigrate(sqliteDrizzle(old), {
      migrationsFolder: migrationsUpTo(
        fileURLToPath(new URL('../drizzle', import.meta.url)),
        '0010_batches_rejected',
        cleanups,
      ),
    });
    old
      .prepare('INSERT INTO sites (id, name, time_zone, home_country, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(...SITE);
    for (const row of ERRORS_30S)
      old.prepare('INSERT INTO errors_30s (site_id, start, errors) VALUES (?, ?, ?)').run(SITE[0], ...row);
    for (const row of IP_ERRORS_30S)
      old.prepare('INSERT INTO ip_errors_30s (site_id, start, ip, errors) VALUES (?, ?, ?, ?)').run(SITE[0], ...row);
    for (const [ip, errors] of IP_DAYS) old.prepare(IP_DAY_SQL.replace(/\$\d/g, '?')).run(SITE[0], ip, errors, errors);
    old.close();

    const store = openSqliteStore({ path });
    cleanups.push(() => store.close());
    await expectOldBurstsKept(store);
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%errors_30s'").all()).toEqual([]);
  });
});

describePostgres('upgrade from 30-second error rollups: postgres', () => {
  it('turns each 30-s row into one 5-s row at its start, so old bursts keep their counts', async () => {
    const schema = `wp_test_${Math.random().toString(16).slice(2, 14)}`;
    cleanups.push(() => dropSchema(schema));
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"`);
      const migrationsFolder = migrationsUpTo(
        fileURLToPath(new URL('../drizzle-pg', import.meta.url)),
        '0003_batches_rejected',
        cleanups,
      );
      await pgMigrate(pgDrizzle({ client }), { migrationsFolder, migrationsSchema: schema });
      await client.query(
        'INSERT INTO sites (id, name, time_zone, home_country, created_at) VALUES ($1, $2, $3, $4, $5)',
        [...SITE],
      );
      for (const row of ERRORS_30S)
        await client.query('INSERT INTO errors_30s (site_id, start, errors) VALUES ($1, $2, $3)', [SITE[0], ...row]);
      for (const row of IP_ERRORS_30S)
        await client.query('INSERT INTO ip_errors_30s (site_id, start, ip, errors) VALUES ($1, $2, $3, $4)', [
          SITE[0],
          ...row,
        ]);
      for (const [ip, errors] of IP_DAYS) await client.query(IP_DAY_SQL, [SITE[0], ip, errors]);
    } finally {
      await client.end();
    }

    const store = await openPostgresStore({ url: TEST_POSTGRES_URL, schema, maxConnections: 2 });
    cleanups.push(() => store.close());
    await expectOldBurstsKept(store);
  });
});
