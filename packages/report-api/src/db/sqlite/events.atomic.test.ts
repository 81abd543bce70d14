import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batch, event } from '../../../test/helpers.js';
import { openSqliteStore } from './open.js';

// A ts of 9e15 (a safe integer past the largest Date) passed the old
// validator; its rows, batch id and rollup backlog were committed before the rollups threw
// `Invalid time value`, so the API answered 500 and every retry said `duplicate`. The store is
// called directly here, as a caller that skips validation (an importer, a future route) would.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(
  writerThread: boolean,
  path = join(dirs[dirs.push(mkdtempSync(join(tmpdir(), 'wp-atomic-'))) - 1]!, 'w.db'),
) {
  return { path, store: openSqliteStore({ path, writerThread }) };
}

describe.each([
  ['inline', false],
  ['writer thread', true],
])('sqlite store (%s): a batch the store cannot process leaves nothing', (_name, writerThread) => {
  it('rejects the 9e15 batch, stores no row, batch id or backlog, and a fixed retry is stored', async () => {
    const { path, store } = open(writerThread);
    const { site } = await store.createSite({ name: 's', timeZone: 'Asia/Tokyo', homeCountry: null });
    const poisoned = batch([event({ ip: '192.0.2.1' }), event({ ts: 9e15 })]);
    await expect(store.ingestBatch(site.id, poisoned)).rejects.toThrow();
    const count = (table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('events'), count('batches'), count('rollup_backlog')]).toEqual([0, 0, 0]);
    const fixed = { ...poisoned, events: [event({ ip: '192.0.2.1' }), event()] };
    expect(await store.ingestBatch(site.id, fixed)).toEqual({ accepted: 2, duplicate: false });
    await store.close();
    const again = openSqliteStore({ path, writerThread });
    expect(await again.listEvents(site.id, { from: 0, to: 9e15, limit: 10 })).toHaveLength(2);
    await again.close();
  });
});
