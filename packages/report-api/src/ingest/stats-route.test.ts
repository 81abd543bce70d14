import { afterEach, describe, expect, it } from 'vitest';
import { appWithSite, batch, event, post, tempStore } from '../../test/helpers.js';
import { describePostgres, tempPostgresStore } from '../../test/postgres.js';
import { createApp } from '../app.js';
import type { Store } from '../db/store.js';

const NOW = Date.UTC(2026, 11, 4, 12);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Two express batches (one with a poisoned event, one reporting drops), one hono batch, one retry. */
async function statsAfterTraffic(store: Store) {
  const { site, ingestKey, adminKey } = await store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
  const app = createApp({ store, now: () => NOW, logError: () => undefined });
  const send = (body: unknown) => app.request('/v1/events', post(ingestKey, body));
  const first = batch([event({ ts: NOW }), event({ ts: 9e15 }), event({ ts: NOW, ua: 'x\u0085' })]);
  await send(first);
  await send(first); // a retry: counted once
  await send(batch([event({ ts: NOW })], { dropped: 7 }));
  await send(batch([event({ ts: NOW }), event({ ts: NOW })], { source: 'hono' }));
  const get = (query: string, key = adminKey) =>
    app.request(`/v1/ingest/stats${query}`, { headers: { authorization: `Bearer ${key}` } });
  return { site, get, ingestKey };
}

const expected = {
  from: NOW - 86_400_000,
  to: NOW,
  batches: 3,
  events: 4,
  rejected: 2,
  dropped: 7,
  sources: [
    { source: 'express', batches: 2, events: 2, rejected: 2, dropped: 7 },
    { source: 'hono', batches: 1, events: 2, rejected: 0, dropped: 0 },
  ],
};

describe('GET /v1/ingest/stats (SQLite)', () => {
  it('counts batches, stored, rejected and dropped events per source; admin key only; bad ranges 400', async () => {
    const t = tempStore(() => NOW);
    cleanups.push(t.cleanup);
    await appWithSite(t.store, { name: 'other' }); // another site's traffic never shows
    const { get, ingestKey } = await statsAfterTraffic(t.store);
    expect(await (await get(`?from=${NOW - 86_400_000}&to=${NOW + 1}`)).json()).toEqual({ ...expected, to: NOW + 1 });
    expect(await (await get(`?to=${NOW - 1}`)).json()).toMatchObject({ batches: 0, sources: [] });
    expect((await get('', ingestKey)).status).toBe(403);
    expect((await get('?from=abc')).status).toBe(400);
    expect((await get(`?from=${NOW}&to=${NOW}`)).status).toBe(400);
  });
});

describePostgres('GET /v1/ingest/stats (PostgreSQL)', () => {
  it('counts batches, stored, rejected and dropped events per source', async () => {
    const t = await tempPostgresStore({ now: () => NOW });
    cleanups.push(t.cleanup);
    const { get } = await statsAfterTraffic(t.store);
    expect(await (await get(`?from=${NOW - 86_400_000}&to=${NOW + 1}`)).json()).toEqual({ ...expected, to: NOW + 1 });
  });
});
