import { is } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import * as pgSchema from '../src/db/postgres/schema.js';
import * as sqliteSchema from '../src/db/sqlite/schema.js';
import { tempStore } from './helpers.js';
import { describePostgres, tempPostgresStore, TEST_POSTGRES_URL } from './postgres.js';

// The schema files are what `db:generate` turns into migrations; the stores run the migrations. Each
// table, column and index the schema declares must be what a freshly migrated database holds, and
// nothing more, so that neither can change without the other (a schema edit with no migration, or a
// migration edited by hand).

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

type Columns = Record<string, { notNull: boolean }>;

describe('SQLite: the drizzle schema and the migrations agree', () => {
  it('has the same tables, columns, nullability and indexes', async () => {
    const t = tempStore();
    cleanups.push(() => t.cleanup());
    const tables = Object.values(sqliteSchema).filter((value) => is(value, SQLiteTable));
    expect(tables.length).toBeGreaterThan(15);
    const declared: Record<string, { columns: Columns; indexes: string[] }> = {};
    for (const table of tables) {
      const config = sqliteConfig(table);
      const columns: Columns = {};
      // SQLite lets a primary key's columns (but an INTEGER one) hold NULL unless declared NOT NULL,
      // where drizzle calls them not null: their nullability is left out on both sides.
      const keyed = new Set(config.primaryKeys.flatMap((key) => key.columns.map((column) => column.name)));
      for (const column of config.columns) {
        columns[column.name] = { notNull: column.notNull && !column.primary && !keyed.has(column.name) };
      }
      declared[config.name] = { columns, indexes: config.indexes.map((i) => i.config.name).sort() };
    }
    const db = t.store.db;
    const migrated: typeof declared = {};
    const tablesQuery =
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'";
    const names = db.prepare(tablesQuery).pluck().all() as string[];
    for (const name of names) {
      const columns: Columns = {};
      const info = db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{
        name: string;
        notnull: number;
        pk: number;
      }>;
      for (const column of info) columns[column.name] = { notNull: column.notnull === 1 && column.pk === 0 };
      const indexes = (db.prepare(`PRAGMA index_list("${name}")`).all() as Array<{ name: string; origin: string }>)
        .filter((index) => index.origin === 'c')
        .map((index) => index.name)
        .sort();
      migrated[name] = { columns, indexes };
    }
    expect(migrated).toEqual(declared);
  });
});

describePostgres('PostgreSQL: the drizzle schema and the migrations agree', () => {
  it('has the same tables, columns and nullability', async () => {
    const t = await tempPostgresStore();
    cleanups.push(() => t.cleanup());
    const tables = Object.values(pgSchema).filter((value) => is(value, PgTable));
    expect(tables.length).toBeGreaterThan(15);
    const declared: Record<string, Columns> = {};
    for (const table of tables) {
      const config = pgConfig(table);
      const columns: Columns = {};
      for (const column of config.columns) columns[column.name] = { notNull: column.notNull || column.primary };
      declared[config.name] = columns;
    }
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    cleanups.push(() => client.end());
    // Tables of the store's schema, without the day partitions of `events` (they mirror their parent).
    const { rows } = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `SELECT c.table_name, c.column_name, c.is_nullable FROM information_schema.columns c
         JOIN pg_class k ON k.relname = c.table_name
         JOIN pg_namespace n ON n.oid = k.relnamespace AND n.nspname = c.table_schema
        WHERE c.table_schema = $1 AND NOT k.relispartition AND k.relkind IN ('r', 'p')
          AND c.table_name NOT LIKE '__drizzle%'`,
      [t.schema],
    );
    const migrated: Record<string, Columns> = {};
    for (const row of rows) {
      (migrated[row.table_name] ??= {})[row.column_name] = { notNull: row.is_nullable === 'NO' };
    }
    expect(migrated).toEqual(declared);
  });
});
