// `tsx --conditions=@watchpost/source bench/keys-audit.ts`: what labelled keys and the audit log cost on
// SQLite. Side by side in one run (ratios hold on a shared machine better than absolute figures):
// - key resolution per request: the old plain look-up by hash vs `resolveKey` (constant-time re-check of
//   the hash, last use written at most once a minute);
// - deleting a site with N raw events (and their rollups) while another site keeps its data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashKey } from '../src/db/ids.js';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import { batch, event } from '../test/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'watchpost-bench-'));
try {
  const store = openSqliteStore({ path: join(dir, 'bench.db') });
  const { site, ingestKey } = await store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
  const other = await store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
  const plain = store.db.prepare(
    'SELECT s.*, k.role FROM api_keys k JOIN sites s ON s.id = k.site_id WHERE k.hash = ?',
  );
  const N = 200_000;
  for (let round = 0; round < 2; round++) {
    let t0 = performance.now();
    for (let i = 0; i < N; i++) plain.get(hashKey(ingestKey));
    const before = (performance.now() - t0) / N;
    t0 = performance.now();
    for (let i = 0; i < N; i++) await store.resolveKey(ingestKey);
    const after = (performance.now() - t0) / N;
    console.log(
      `resolve key: plain ${(before * 1000).toFixed(2)} µs, resolveKey ${(after * 1000).toFixed(2)} µs ` +
        `(ratio ${(after / before).toFixed(2)})`,
    );
  }
  const EVENTS = Number(process.env.EVENTS ?? 200_000);
  const T = Date.UTC(2026, 2, 1);
  for (const s of [site.id, other.site.id]) {
    for (let i = 0; i < EVENTS; i += 5000) {
      const events = Array.from({ length: 5000 }, (_, j) =>
        event({ ts: T + (i + j) * 400, ip: `198.51.${(i + j) % 200}.${j % 250}`, path: `/p/${j % 300}` }),
      );
      await store.ingestBatch(s, batch(events));
    }
  }
  const by = { actor: { kind: 'cli' as const, label: 'cli', keyId: null }, reason: 'bench' };
  const t0 = performance.now();
  const deleted = await store.deleteSite(site.id, by, Date.now());
  console.log(
    `delete site: ${EVENTS} events, ${deleted!.rows} rows in ${(performance.now() - t0).toFixed(0)} ms; ` +
      `other site keeps ${(await store.listEvents(other.site.id, { from: 0, to: T * 2, limit: 10 })).length} of 10`,
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
