import { afterAll, describe, expect, it } from 'vitest';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import type { Store } from '../db/store.js';
import { buildDailyReport } from '../reports/build.js';
import { describePostgres, tempPostgresStore } from '../../test/postgres.js';
import { event, tempStore } from '../../test/helpers.js';
import { storeIngest } from './ingest.js';

const DAY = Date.UTC(2026, 2, 9);
const STATUSES = [200, 200, 200, 200, 200, 304, 404, 500];

/** 4,000 events of 2026-03-09, mostly allowed 2xx/3xx, some 4xx, 5xx and blocks (what a parser makes). */
function events(): WatchpostEvent[] {
  return Array.from({ length: 4000 }, (_, i) =>
    event({
      ts: DAY + i * 20_000,
      ip: `198.51.100.${i % 60}`,
      path: `/p/${i % 25}`,
      status: STATUSES[i % STATUSES.length]!,
      ...(i % 40 === 0 ? { action: 'block' as const, status: 403, rule: 'probe-env' } : {}),
    }),
  );
}

/** Stores the events in 1,000-event import batches through `storeIngest`, at `sampleRate`. */
async function load(store: Store, siteId: string, sampleRate: number): Promise<void> {
  const ingest = storeIngest(store, {
    sampleRate,
    random: (() => {
      let n = 0;
      return () => (n = (n * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    })(),
  });
  const all = events();
  for (let b = 0; b < all.length; b += 1000) {
    const outcome = await ingest(siteId, {
      batchId: `imp_sample_test_${sampleRate}_${b}`,
      source: 'import',
      events: all.slice(b, b + 1000),
    });
    expect(outcome).toEqual({ duplicate: false });
  }
}

async function compare(store: Store): Promise<{ rawFull: number; rawSampled: number }> {
  const full = await store.createSite({ name: 'full', timeZone: 'UTC', homeCountry: null });
  const part = await store.createSite({ name: 'part', timeZone: 'UTC', homeCountry: null });
  await load(store, full.site.id, 1);
  await load(store, part.site.id, 0.1);
  const { site: _a, ...a } = await buildDailyReport(store, full.site, '2026-03-09', { now: () => 0 });
  const { site: _b, ...b } = await buildDailyReport(store, part.site, '2026-03-09', { now: () => 0 });
  expect(b).toEqual(a);
  expect(a.totals.requests).toBe(4000);
  const count = async (siteId: string) =>
    (await store.listEvents(siteId, { from: DAY, to: DAY + 86_400_000, limit: 10_000 })).length;
  return { rawFull: await count(full.site.id), rawSampled: await count(part.site.id) };
}

describe('a sampled import on SQLite', () => {
  const t = tempStore();
  afterAll(() => t.cleanup());
  it('gives the same daily report as a full import from far fewer raw events', async () => {
    const { rawFull, rawSampled } = await compare(t.store);
    expect(rawFull).toBe(4000);
    // 100 blocks and 1,000 4xx/5xx kept; about a tenth of the other 2,900.
    expect(rawSampled).toBeGreaterThan(1100 + 150);
    expect(rawSampled).toBeLessThan(1100 + 450);
  });
});

describePostgres('a sampled import on PostgreSQL', () => {
  it('gives the same daily report as a full import from far fewer raw events', async () => {
    const t = await tempPostgresStore();
    try {
      const { rawFull, rawSampled } = await compare(t.store);
      expect(rawFull).toBe(4000);
      expect(rawSampled).toBeLessThan(1100 + 450);
    } finally {
      await t.cleanup();
    }
  });
});
