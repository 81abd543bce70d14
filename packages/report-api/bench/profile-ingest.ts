// On-demand profiling helper: ingests BENCH_INGEST_EVENTS through createApp in-process (no sockets)
// and prints events/s; run under `node --cpu-prof --import tsx bench/profile-ingest.ts` to see where
// ingest time goes. Not part of `bench/run.ts`.
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import { generateDay } from './generate.js';
import { benchDir, envInt, fmt } from './util.js';

const events = envInt('BENCH_INGEST_EVENTS', 200_000);
const concurrency = envInt('BENCH_CONCURRENCY', 4);
const store = openSqliteStore({ path: join(benchDir(), 'profile.db') });
for (const p of (process.env.BENCH_PRAGMAS ?? '').split(';').filter(Boolean)) {
  if (p.startsWith('X')) store.db.exec(p.slice(1));
  else store.db.pragma(p);
}
const { ingestKey } = await store.createSite({ name: 'bench', timeZone: 'UTC', homeCountry: 'JP' });
const bodies = [...generateDay({ events, dayStart: Date.UTC(2026, 2, 1), batchSize: envInt('BENCH_BATCH', 1000) })].map(
  (b) => JSON.stringify(b),
);
const app = createApp({ store });
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const res = await app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
        body: bodies[next++]!,
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    }
  }),
);
// A read inside the clock: rollups still held in memory are written by it.
await store.countDimension((await store.listSites())[0]!.id, '2026-03-01', 'ip');
const seconds = (performance.now() - started) / 1000;
console.log(`in-process ingest: ${fmt(events)} events in ${fmt(seconds, 2)} s = ${fmt(events / seconds)} events/s`);
await store.close();
