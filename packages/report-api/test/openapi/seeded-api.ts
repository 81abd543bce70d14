import { serve } from '@hono/node-server';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { createApp } from '../../src/app.js';
import { SEED_DATE, SEED_NOW, seedEvents } from '../browser/seed.js';
import { tempStore } from '../helpers.js';

const tokyo = (hour: number, minute: number, second = 0) =>
  Date.parse(`${SEED_DATE}T00:00:00Z`) - 9 * 3_600_000 + hour * 3_600_000 + minute * 60_000 + second * 1000;

/** Login attempts (a credential-stuffing run and one success) and rate-rule refusals, so those sections have rows. */
function loginAndRateEvents(): WatchpostEvent[] {
  const base = {
    country: 'RU',
    method: 'POST',
    host: 'shop.example',
    path: '/login',
    latencyMs: 12,
    ua: 'python-requests/2.32',
    action: 'allow',
    rule: null,
    botCategory: 'http-client',
    sampleRate: 1,
  } as const;
  const account = (i: number) => i.toString(16).padStart(32, '0');
  const stuffing = Array.from({ length: 12 }, (_, i) => ({
    ...base,
    ts: tokyo(11, 0, i * 3),
    ip: '203.0.113.50',
    status: 401,
    login: { outcome: 'failed' as const, account: account(i) },
  }));
  const success = {
    ...base,
    ts: tokyo(11, 5),
    ip: '198.51.100.3',
    country: 'JP',
    ua: 'Mozilla/5.0',
    botCategory: null,
    status: 200,
    login: { outcome: 'success' as const, account: account(99) },
  };
  const refused = Array.from({ length: 5 }, (_, i) => ({
    ...base,
    ts: tokyo(12, 0, i),
    ip: '203.0.113.60',
    method: 'GET',
    path: `/products/${i}`,
    status: 429,
    action: 'block' as const,
    rule: 'rate:catalog-scrapers',
  }));
  return [...stuffing, success, ...refused];
}

/**
 * The report API over real HTTP on loopback (SQLite, clock at 18:00 Tokyo on `SEED_DATE`) with one
 * site (Asia/Tokyo, home JP) filled through `POST /v1/events` with two days of traffic: visitors,
 * bots, a bursting prober, a scanner answered 5xx, hostile text, login attempts, rate-rule refusals.
 *
 * @example
 * const api = await startSeededApi(); await fetch(`${api.reportApiUrl}/healthz`); await api.close();
 */
export async function startSeededApi() {
  const now = () => SEED_NOW;
  const t = tempStore(now);
  const { ingestKey, adminKey, site } = await t.store.createSite({
    name: 'Seeded shop',
    timeZone: 'Asia/Tokyo',
    homeCountry: 'JP',
  });
  const server = serve({ fetch: createApp({ store: t.store, now }).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const reportApiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const events = [...seedEvents(), ...loginAndRateEvents()];
  for (let i = 0; i < events.length; i += 500) {
    const res = await fetch(`${reportApiUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batchId: `seed-${String(i).padStart(6, '0')}`,
        source: 'express',
        events: events.slice(i, i + 500),
      }),
    });
    if (res.status !== 202) throw new Error(`seed ingest failed: ${res.status} ${await res.text()}`);
  }
  return {
    reportApiUrl,
    /** The store behind the API, for tests that need a second site (e.g. one to delete). */
    store: t.store,
    site,
    adminKey,
    ingestKey,
    /** The day with the most traffic, and the day before it. */
    date: SEED_DATE,
    previousDate: '2026-11-25',
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await t.cleanup();
    },
  };
}

/** A running {@link startSeededApi}. */
export type SeededApi = Awaited<ReturnType<typeof startSeededApi>>;
