import { afterAll, describe, expect, it } from 'vitest';
import { event, tempStore } from '../../test/helpers.js';
import { storeIngest } from './ingest.js';

const t = tempStore();
afterAll(() => t.cleanup());

describe('storeIngest', () => {
  it('stores a valid batch once, then reports the duplicate', async () => {
    const { site } = await t.store.createSite({ name: 'a', timeZone: 'UTC', homeCountry: null });
    const ingest = storeIngest(t.store);
    const batch = {
      batchId: 'imp_valid_batch_1',
      source: 'import' as const,
      events: [event(), event({ ip: '192.0.2.1' })],
    };
    expect(await ingest(site.id, batch)).toEqual({ duplicate: false });
    expect(await ingest(site.id, batch)).toEqual({ duplicate: true });
    expect(await t.store.listEvents(site.id, { from: 0, to: Date.UTC(2030, 0), limit: 10 })).toHaveLength(2);
  });

  it('drops only the events the ingest validation refuses and stores the rest', async () => {
    const { site } = await t.store.createSite({ name: 'b', timeZone: 'UTC', homeCountry: null });
    const ingest = storeIngest(t.store);
    const events = [
      event({ path: '/ok' }),
      event({ path: '/bad\u0007' }),
      event({ status: 1000 }),
      event({ path: '/also-ok' }),
    ];
    expect(await ingest(site.id, { batchId: 'imp_mixed_batch_1', source: 'import', events })).toEqual({
      duplicate: false,
      rejected: 2,
    });
    const stored = await t.store.listEvents(site.id, { from: 0, to: Date.UTC(2030, 0), limit: 10 });
    expect(stored.map((e) => e.path).sort()).toEqual(['/also-ok', '/ok']);
  });

  it('a batch with nothing valid stores nothing', async () => {
    const { site } = await t.store.createSite({ name: 'c', timeZone: 'UTC', homeCountry: null });
    const outcome = await storeIngest(t.store)(site.id, {
      batchId: 'imp_all_bad_1',
      source: 'import',
      events: [event({ ip: '' })],
    });
    expect(outcome).toEqual({ duplicate: false, rejected: 1 });
    expect(await t.store.listEvents(site.id, { from: 0, to: Date.UTC(2030, 0), limit: 10 })).toHaveLength(0);
  });
});
