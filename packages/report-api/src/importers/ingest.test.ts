import { afterAll, describe, expect, it } from 'vitest';
import { event, tempStore } from '../../test/helpers.js';
import { importSampler, storeIngest } from './ingest.js';

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

  it.each([
    ['an allowed 200', { status: 200 }, false, 0.5],
    ['an allowed 304', { status: 304 }, false, 0.5],
    ['a 404', { status: 404 }, false, 1],
    ['a block', { action: 'block', status: 403 }, false, 1],
    ['a count', { action: 'count', status: 200 }, false, 1],
    ['a login attempt', { status: 200, login: { outcome: 'success', account: null } }, false, 1],
    ['a client that went away (status 0)', { status: 0 }, false, 1],
    ['an impersonator', { status: 200, botCategory: 'impersonator', botName: 'Googlebot' }, false, 1],
    ['an allowed 200 by a bot', { status: 200, botCategory: 'search-engine', botName: 'Googlebot' }, false, 0.5],
    ['an AWS WAF ALLOW (status 0, unknown)', { status: 0 }, true, 0.5],
    ['an AWS WAF BLOCK', { action: 'block', status: 403 }, true, 1],
  ] as const)('importSampler keeps %s at rate %#', (_name, overrides, statusUnknown, rate) => {
    // random() 0.4 < 0.5: a sampled kind is kept at the rate; 0.6 drops it.
    expect(importSampler(0.5, () => 0.4, statusUnknown)(event(overrides))).toBe(rate);
    expect(importSampler(0.5, () => 0.6, statusUnknown)(event(overrides))).toBe(rate === 1 ? 1 : 0);
  });

  it('importSampler refuses rates outside (0, 1]', () => {
    for (const rate of [0, -1, 1.5, Number.NaN]) expect(() => importSampler(rate, Math.random)).toThrow(TypeError);
  });
});
