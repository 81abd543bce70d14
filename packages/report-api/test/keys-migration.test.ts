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
import { hashKey } from '../src/db/ids.js';
import type { Store } from '../src/db/store.js';
import { describePostgres, dropSchema, TEST_POSTGRES_URL } from './postgres.js';
import { migrationsUpTo } from './support/migrations.js';

// A database written before keys had labels (keys without ids or labels), upgraded: every old key keeps
// working, gets an id of its own and the label `initial`, and can then be rotated and revoked.
const CREATED = Date.UTC(2026, 2, 1);
const SITES = [
  ['site_old1', 'old shop', 'UTC', null, CREATED],
  ['site_old2', 'old blog', 'UTC', null, CREATED],
] as const;
const KEYS = [
  ['wpi_old_ingest_1', 'site_old1', 'ingest'],
  ['wpa_old_admin_1', 'site_old1', 'admin'],
  ['wpi_old_ingest_2', 'site_old2', 'ingest'],
  ['wpa_old_admin_2', 'site_old2', 'admin'],
] as const;

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function expectOldKeysKept(store: Store) {
  const ids = new Set<string>();
  for (const [key, siteId, role] of KEYS) {
    const resolved = await store.resolveKey(key);
    expect(resolved).toMatchObject({ site: { id: siteId }, role, label: 'initial' });
    expect(resolved!.keyId).toMatch(/^key_[0-9A-Za-z_-]{12,}$/);
    ids.add(resolved!.keyId);
  }
  expect(ids.size).toBe(KEYS.length);
  const listed = await store.listKeys('site_old1');
  expect(listed.map((k) => [k.role, k.label, k.createdAt]).sort()).toEqual([
    ['admin', 'initial', CREATED],
    ['ingest', 'initial', CREATED],
  ]);
  // Rotation works on a migrated key.
  const by = { actor: { kind: 'cli' as const, label: 'cli', keyId: null }, reason: 'after upgrade' };
  const ingest = listed.find((k) => k.role === 'ingest')!;
  const fresh = await store.createKey('site_old1', { role: 'ingest', label: 'initial' }, by, CREATED + 1);
  expect(await store.revokeKey('site_old1', ingest.id, by, CREATED + 2)).not.toBeNull();
  expect(await store.resolveKey('wpi_old_ingest_1')).toBeNull();
  expect((await store.resolveKey(fresh.secret))?.site.id).toBe('site_old1');
  expect((await store.resolveKey('wpi_old_ingest_2'))?.site.id).toBe('site_old2');
}

describe('upgrade to labelled keys: sqlite', () => {
  it('keeps every old key working, with an id and the label initial', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watchpost-test-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'old.db');
    const old = new Database(path);
    sqliteMigrate(sqliteDrizzle(old), {
      migrationsFolder: migrationsUpTo(
        fileURLToPath(new URL('../drizzle', import.meta.url)),
        '0014_events_login',
        cleanups,
      ),
    });
    for (const site of SITES) {
      old
        .prepare('INSERT INTO sites (id, name, time_zone, home_country, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(...site);
    }
    for (const [key, siteId, role] of KEYS) {
      old
        .prepare('INSERT INTO api_keys (hash, site_id, role, created_at) VALUES (?, ?, ?, ?)')
        .run(hashKey(key), siteId, role, CREATED);
    }
    old.close();

    const store = openSqliteStore({ path });
    cleanups.push(() => store.close());
    await expectOldKeysKept(store);
  });
});

describePostgres('upgrade to labelled keys: postgres', () => {
  it('keeps every old key working, with an id and the label initial', async () => {
    const schema = `wp_test_${Math.random().toString(16).slice(2, 14)}`;
    cleanups.push(() => dropSchema(schema));
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"`);
      const migrationsFolder = migrationsUpTo(
        fileURLToPath(new URL('../drizzle-pg', import.meta.url)),
        '0007_events_login',
        cleanups,
      );
      await pgMigrate(pgDrizzle({ client }), { migrationsFolder, migrationsSchema: schema });
      for (const site of SITES) {
        await client.query(
          'INSERT INTO sites (id, name, time_zone, home_country, created_at) VALUES ($1, $2, $3, $4, $5)',
          [...site],
        );
      }
      for (const [key, siteId, role] of KEYS) {
        await client.query('INSERT INTO api_keys (hash, site_id, role, created_at) VALUES ($1, $2, $3, $4)', [
          hashKey(key),
          siteId,
          role,
          CREATED,
        ]);
      }
    } finally {
      await client.end();
    }

    const store = await openPostgresStore({ url: TEST_POSTGRES_URL, schema, maxConnections: 2 });
    cleanups.push(() => store.close());
    await expectOldKeysKept(store);
  });
});
