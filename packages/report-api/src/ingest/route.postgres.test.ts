import { afterEach, expect, it } from 'vitest';
import { batch, event, post } from '../../test/helpers.js';
import { describePostgres, tempPostgresStore } from '../../test/postgres.js';
import { createApp } from '../app.js';

// a batch with one event of ts 9e15 got 500 every time, so its
// sender retried it forever and its good events were never stored.
const NOW = Date.UTC(2026, 11, 4, 12);
let t: Awaited<ReturnType<typeof tempPostgresStore>> | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

describePostgres('POST /v1/events per event (PostgreSQL)', () => {
  it('rejects the 9e15 event with 202 and stores the others, normalised', async () => {
    t = await tempPostgresStore({ now: () => NOW });
    const { site, ingestKey } = await t.store.createSite({ name: 's', timeZone: 'Asia/Tokyo', homeCountry: null });
    const app = createApp({ store: t.store, now: () => NOW, logError: () => undefined });
    const sent = batch([
      event({ ts: NOW, ip: '192.0.2.1' }),
      event({ ts: 9e15 }),
      event({ ts: NOW, ip: '::ffff:192.0.2.3' }),
    ]);
    const res = await app.request('/v1/events', post(ingestKey, sent));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      accepted: 2,
      rejected: 1,
      duplicate: false,
      details: [{ index: 1, path: 'events.1.ts' }],
    });
    const stored = await t.store.listEvents(site.id, { from: 0, to: 9e15, limit: 10 });
    expect(stored.map((e) => e.ip).sort()).toEqual(['192.0.2.1', '192.0.2.3']);
  });

  it('stores the bot name, rejects one with a control character', async () => {
    t = await tempPostgresStore({ now: () => NOW });
    const { site, ingestKey } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const app = createApp({ store: t.store, now: () => NOW, logError: () => undefined });
    const sent = batch([
      event({ ts: NOW, ip: '192.0.2.1', botCategory: 'search-engine', botName: 'Googlebot' }),
      event({ ts: NOW, ip: '192.0.2.2', botCategory: 'other-bot', botName: 'x\u0085y' }),
      event({ ts: NOW, ip: '192.0.2.3' }),
    ]);
    const res = await app.request('/v1/events', post(ingestKey, sent));
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: 1, details: [{ path: 'events.1.botName' }] });
    const stored = await t.store.listEvents(site.id, { from: 0, to: 9e15, limit: 10 });
    expect(Object.fromEntries(stored.map((e) => [e.ip, e.botName ?? null]))).toEqual({
      '192.0.2.1': 'Googlebot',
      '192.0.2.3': null,
    });
  });

  it('a batch the store cannot take (validation skipped) leaves nothing, and a fixed retry is stored', async () => {
    t = await tempPostgresStore({ now: () => NOW });
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const poisoned = batch([event({ ts: NOW }), event({ ts: 9e15 })]);
    await expect(t.store.ingestBatch(site.id, poisoned)).rejects.toThrow(/cannot be stored/);
    expect(await t.store.ingestBatch(site.id, { ...poisoned, events: [event({ ts: NOW })] })).toEqual({
      accepted: 1,
      duplicate: false,
    });
  });
});
