import pg from 'pg';
import { expect, it } from 'vitest';
import { cli } from './cli.js';
import { describePostgres, dropSchema, TEST_POSTGRES_URL } from './postgres.js';

// Commands that only read never create anything, on PostgreSQL too: an empty schema stays empty.
describePostgres('reading commands on an empty PostgreSQL schema', () => {
  it('exit 1 with "no database", and the schema is not created', async () => {
    const schema = `wp_read_${process.pid}_${Date.now().toString(36)}`;
    const url = new URL(TEST_POSTGRES_URL);
    url.searchParams.set('schema', schema);
    try {
      for (const argv of [
        ['sites', 'list'],
        ['report', '--site', 's', '--date', '2026-03-01'],
      ]) {
        const result = await cli(...argv, '--db', url.toString());
        expect(result.code).toBe(1);
        expect(result.err).toMatch(/no database at postgres:\/\/.*; run `watchpost serve` or pass --db/);
      }
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      await client.end();
      expect(found.rowCount).toBe(0);
    } finally {
      await dropSchema(schema);
    }
  });
});
