import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batch, event } from '../../../test/helpers.js';
import { openSqliteStore } from './open.js';
import type { RecoverySkip } from './rollup-buffer.js';

// a raw event with ts 9e15 left in the rollup backlog made every later open
// (serve and every CLI command) fail with `Invalid time value`. A row recovery cannot take is now
// skipped and reported, and the database opens.
const T = Date.UTC(2026, 2, 1, 12);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A database whose backlog (left by a dead writer) covers copies of a stored event, changed with raw SQL (`''`: a good
 * copy).
 */
async function poisonedFile(poison: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'wp-recovery-'));
  dirs.push(dir);
  const path = join(dir, 'w.db');
  const store = openSqliteStore({ path });
  const { site } = await store.createSite({ name: 's', timeZone: 'Asia/Tokyo', homeCountry: null });
  await store.ingestBatch(site.id, batch([event({ ts: T, ip: '192.0.2.1' })]));
  store.db.prepare('DELETE FROM rollup_backlog').run();
  await store.close();
  const db = openSqliteStore({ path }).db;
  const insert = db.prepare(
    `INSERT INTO events (site_id, ts, ip, country, method, host, path, status, latency_ms, ua, action, rule, ` +
      `bot_category, sample_rate, asn)
     SELECT site_id, ts, ip, country, method, host, path, status, latency_ms, ua, action, rule, bot_category, ` +
      `sample_rate, asn FROM events WHERE id = 1`,
  );
  for (const set of poison) {
    const id = Number(insert.run().lastInsertRowid);
    if (set !== '') db.prepare(`UPDATE events SET ${set} WHERE id = ?`).run(id);
  }
  const last = db.prepare('SELECT max(id) AS id FROM events').get() as { id: number };
  // A writer on another host, silent for a day: dead, so the next open recovers its range.
  db.prepare(
    "INSERT INTO rollup_backlog (first_id, last_id, owner, recorded_at) VALUES (2, ?, 'gone-host#1#0-1', 0)",
  ).run(last.id);
  db.close();
  return { path, siteId: site.id };
}

describe.each([
  ['inline', false],
  ['writer thread', true],
])('opening a database with a poisoned rollup backlog (%s)', (_name, writerThread) => {
  it('skips and reports the rows it cannot process, rebuilds the others, and opens', async () => {
    const { path, siteId } = await poisonedFile(['', 'ts = 9e15', 'sample_rate = 0', "ts = 'not a time'"]);
    const skips: RecoverySkip[] = [];
    const store = openSqliteStore({ path, writerThread, onRecoverySkip: (skip) => skips.push(skip) });
    try {
      expect(skips).toHaveLength(1);
      expect(skips[0]).toMatchObject({ events: 3, eventIds: [3, 4, 5] });
      expect(skips[0]!.reasons[0]).toMatch(/ts 9000000000000000 is outside/);
      const [bucket] = await store.trafficBuckets(siteId, T - 3_600_000, T + 3_600_000);
      expect(bucket?.requests).toBe(2); // the stored event and the good one of the range
      expect(store.db.prepare('SELECT count(*) AS n FROM rollup_backlog').get()).toEqual({ n: 0 });
    } finally {
      await store.close();
    }
  });
});
