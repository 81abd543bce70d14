import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { openSqliteStore } from '../db/sqlite/open.js';
import type { Site, Store } from '../db/store.js';
import { createAlertService } from './service.js';
import { createAlertMonitor } from './detect.js';
import { createManualClock } from '../../test/support/clock.js';
import { startReceiver, type Receiver } from '../../test/support/receiver.js';

let dir: string;
let store: Store;
let receivers: Receiver[];
let services: Array<ReturnType<typeof createAlertService>>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wp-detect-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
  receivers = [];
  services = [];
});
afterEach(async () => {
  // Deliveries still in flight would write to a closed database.
  await Promise.all(services.map((service) => service.queue.idle()));
  await Promise.all(receivers.map((r) => r.close()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.parse('2026-03-03T05:00:00Z'); // a Tuesday, 14:00 in Tokyo
const textOf = (body: unknown) => (body as { text: string }).text;
let batchNumber = 0;

function event(ts: number, overrides: Partial<WatchpostEvent> = {}): WatchpostEvent {
  return {
    ts,
    ip: '203.0.113.7',
    country: 'JP',
    method: 'GET',
    host: 'shop.example',
    path: '/',
    status: 200,
    latencyMs: 5,
    ua: 'Mozilla/5.0',
    action: 'allow',
    rule: null,
    botCategory: null,
    sampleRate: 1,
    ...overrides,
  };
}

async function ingest(site: Site, events: WatchpostEvent[]) {
  await store.ingestBatch(site.id, {
    batchId: `batch-${String(++batchNumber).padStart(6, '0')}`,
    source: 'express',
    events,
  });
}

async function setup(
  receiverOptions?: Parameters<typeof startReceiver>[0],
  delivery = {},
  detection: Parameters<typeof createAlertService>[0]['detection'] = {},
) {
  const receiver = await startReceiver(receiverOptions);
  receivers.push(receiver);
  const clock = createManualClock(T0);
  const created = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
  await store.addWebhook(created.site.id, receiver.url, T0);
  const service = createAlertService({
    store,
    publicUrl: 'https://wp.example',
    now: clock.now,
    timers: clock.timers,
    delivery,
    detection,
  });
  services.push(service);
  return { ...created, receiver, clock, service };
}

/** Ticks the monitor every 10 s from now to `until`, returning the titles of all notices raised. */
async function tickUntil(ctx: Awaited<ReturnType<typeof setup>>, until: number): Promise<string[]> {
  const titles: string[] = [];
  for (let t = ctx.clock.now(); t <= until; t += 10_000) {
    ctx.clock.set(t);
    for (const notice of await ctx.service.monitor.tick()) titles.push(`${notice.state}: ${notice.title}`);
  }
  return titles;
}

describe('real-time alerts (real store, real receiver)', () => {
  it('a generated error burst raises exactly one alert, and later exactly one resolution', async () => {
    const ctx = await setup();
    // 150 404s in 15 s from three IPs, then the burst goes on in the next window, then silence.
    const burst = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        event(from + i * 100, { status: 404, path: `/x${i}`, ip: `198.51.100.${i % 3}` }),
      );
    await ingest(ctx.site, burst(T0, 150));
    expect(await tickUntil(ctx, T0 + 20_000)).toEqual([
      'alert: Error burst: 150 4xx/5xx responses in 30 s (threshold 100)',
    ]);
    await ingest(ctx.site, burst(T0 + 30_000, 120));
    expect(await tickUntil(ctx, T0 + 120_000)).toEqual([]);
    const later = await tickUntil(ctx, T0 + 300_000);
    expect(later).toEqual(['resolved: Resolved: Error burst: 150 4xx/5xx responses in 30 s (threshold 100)']);
    const messages = await ctx.receiver.waitFor(2);
    await ctx.service.queue.idle();
    expect(messages).toHaveLength(2);
    expect(textOf(messages[0]!.body)).toMatch(/:rotating_light: \*shop\*: Error burst: 150 4xx\/5xx/);
    expect(textOf(messages[0]!.body)).toContain('198.51.100.0: 50 errors');
    expect(textOf(messages[1]!.body)).toMatch(/:white_check_mark: \*shop\*: Resolved: Error burst/);
    const log = await store.listDeliveries(ctx.site.id, 10);
    expect(log.map((d) => `${d.kind} ${d.status}`)).toEqual(['burst delivered', 'burst delivered']);
  });

  it("judges a busy site's bursts against its two hours before: its steady errors are no incident", async () => {
    // 300 404s in every 30 s (3 events weighing 100 each) from 2 h 15 min before T0 to T0 + 1 min.
    const steady = Array.from({ length: 3 * 2 * 136 }, (_, i) =>
      event(T0 - 8_100_000 + i * 10_000, { status: 404, sampleRate: 0.01, ip: `198.51.100.${i % 200}` }),
    );
    const bursts = (titles: string[]) => titles.filter((title) => title.includes('Error burst'));
    const absoluteOnly = await setup(undefined, {}, { burstBaselineFactor: 0 });
    for (let i = 0; i < steady.length; i += 500) await ingest(absoluteOnly.site, steady.slice(i, i + 500));
    // The absolute threshold alone calls the site's normal an incident.
    expect(bursts(await tickUntil(absoluteOnly, T0 + 20_000))).toEqual([
      'alert: Error burst: 300 4xx/5xx responses in 30 s (threshold 100)',
    ]);
    const ctx = await setup();
    for (let i = 0; i < steady.length; i += 500) await ingest(ctx.site, steady.slice(i, i + 500));
    expect(bursts(await tickUntil(ctx, T0 + 20_000))).toEqual([]);
    // 9,000 errors a quarter before: 300 in a typical 30 s, 3 times that is the threshold.
    const attack = Array.from({ length: 7 }, (_, i) =>
      event(T0 + 30_000 + i * 500, { status: 404, sampleRate: 0.01, ip: '203.0.113.66' }),
    );
    await ingest(ctx.site, attack);
    expect(bursts(await tickUntil(ctx, T0 + 50_000))).toEqual([
      'alert: Error burst: 1000 4xx/5xx responses in 30 s (threshold 900)',
    ]);
  });

  it("reads a site's live burst baseline once a quarter-hour, not every tick", async () => {
    await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: null });
    // Ticks 10 s apart over 10 minutes; the reads of the live baseline are those a monitor without it does not make.
    const readsOver = async (burstBaselineFactor: number) => {
      let reads = 0;
      const counting = new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'trafficBuckets') reads++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
      let clock = T0 + 60_000;
      const monitor = createAlertMonitor({ store: counting, notify: () => {}, now: () => clock, burstBaselineFactor });
      for (let i = 0; i < 60; i++, clock += 10_000) await monitor.tick();
      return reads;
    };
    const quarters = new Set(Array.from({ length: 60 }, (_, i) => Math.floor((T0 + 60_000 + i * 10_000) / 900_000)));
    expect((await readsOver(3)) - (await readsOver(0))).toBe(quarters.size);
  });

  it('99 errors in 30 s are not a burst (the threshold is "more than 100")', async () => {
    const ctx = await setup();
    await ingest(
      ctx.site,
      Array.from({ length: 100 }, (_, i) => event(T0 + i * 100, { status: 503 })),
    );
    expect(await tickUntil(ctx, T0 + 60_000)).toEqual([]);
  });

  it.each([
    // T0 + 30 s is a boundary of fixed 30-second windows: 75 errors fall on each side of it.
    [
      '150 errors in 9 s across a 30-second boundary (75 + 75)',
      150,
      T0 + 25_500,
      60,
      'alert: Error burst: 150 4xx/5xx responses in 30 s (threshold 100)',
    ],
    [
      '101 errors spread over 25 s',
      101,
      T0 + 12_345,
      247,
      'alert: Error burst: 101 4xx/5xx responses in 30 s (threshold 100)',
    ],
  ])('%s raise a burst alert (any 30 s counts)', async (_, n, from, stepMs, title) => {
    const ctx = await setup();
    await ingest(
      ctx.site,
      Array.from({ length: n }, (_, i) => event(from + i * stepMs, { status: 404, ip: `198.51.100.${i % 2}` })),
    );
    expect(await tickUntil(ctx, T0 + 60_000)).toEqual([title]);
    const [message] = await ctx.receiver.waitFor(1);
    expect(textOf(message!.body)).toContain(`198.51.100.0: ${Math.ceil(n / 2)} errors`);
  });

  it(
    'a new automatic ban alerts once; manual ones and bans from before start do not; lifting it ' + 'resolves',
    async () => {
      const old = await store.createSite({ name: 'other', timeZone: 'UTC', homeCountry: null });
      await store.addDenyEntry(
        old.site.id,
        { value: '192.0.2.1', reason: 'old', source: 'auto', expiresAt: null },
        T0 - 60_000,
      );
      const ctx = await setup();
      await store.addDenyEntry(
        ctx.site.id,
        { value: '192.0.2.9', reason: 'by hand', source: 'manual', expiresAt: null },
        T0,
      );
      const ban = await store.addDenyEntry(
        ctx.site.id,
        { value: '198.51.100.7', reason: 'burst of 240 4xx in 30 s', source: 'auto', expiresAt: T0 + 4 * 3_600_000 },
        T0,
      );
      expect(await tickUntil(ctx, T0 + 30_000)).toEqual(['alert: New automatic ban: 198.51.100.7']);
      await store.removeDenyEntry(ctx.site.id, ban.id);
      // Resolved once the ban has been gone for the 10-minute cool-down.
      expect(await tickUntil(ctx, T0 + 600_000)).toEqual([]);
      expect(await tickUntil(ctx, T0 + 650_000)).toEqual(['resolved: Resolved: New automatic ban: 198.51.100.7']);
      const messages = await ctx.receiver.waitFor(2);
      expect(textOf(messages[0]!.body)).toContain('Reason: burst of 240 4xx in 30 s');
    },
  );

  it(
    "a client refused by the middleware's temporary ban alerts once, and resolves when it has stopped " + 'coming',
    async () => {
      const ctx = await setup();
      const refused = (from: number, n: number) =>
        Array.from({ length: n }, (_, i) =>
          event(from + i * 1000, { ip: '203.0.113.50', status: 403, action: 'block', rule: 'ban' }),
        );
      await ingest(ctx.site, [
        event(T0, { ip: '203.0.113.51', status: 403, action: 'block', rule: 'deny-list:manual' }),
      ]);
      ctx.clock.set(T0 + 10_000);
      await ingest(ctx.site, refused(T0 + 5000, 5));
      expect(await tickUntil(ctx, T0 + 20_000)).toEqual(['alert: New automatic ban: 203.0.113.50']);
      // It keeps coming back for five minutes: same incident, no second message.
      for (let minute = 1; minute <= 5; minute++) {
        await ingest(ctx.site, refused(T0 + minute * 60_000, 3));
        expect(await tickUntil(ctx, T0 + minute * 60_000 + 20_000)).toEqual([]);
      }
      expect(await tickUntil(ctx, T0 + 15 * 60_000)).toEqual([]);
      expect(await tickUntil(ctx, T0 + 16 * 60_000)).toEqual(['resolved: Resolved: New automatic ban: 203.0.113.50']);
      const [alert] = await ctx.receiver.waitFor(2);
      expect(textOf(alert!.body)).toContain("Refused by the middleware's temporary ban (rule ban)");
    },
  );

  it('a client answered with many 5xx after probing alerts; 5xx alone from a normal client does not', async () => {
    const ctx = await setup();
    const prober = Array.from({ length: 10 }, (_, i) =>
      event(T0 + i * 1000, { ip: '192.0.2.66', path: '/.env', status: 404, action: 'count', rule: 'probe-dotenv' }),
    );
    const failures = Array.from({ length: 25 }, (_, i) =>
      event(T0 + 20_000 + i * 1000, { ip: '192.0.2.66', path: '/api/search', status: 500 }),
    );
    const unlucky = Array.from({ length: 25 }, (_, i) =>
      event(T0 + 20_000 + i * 1000, { ip: '192.0.2.77', path: '/checkout', status: 502 }),
    );
    await ingest(ctx.site, [...prober, ...failures, ...unlucky]);
    ctx.clock.set(T0 + 50_000);
    const titles = await tickUntil(ctx, T0 + 60_000);
    expect(titles).toEqual(['alert: 192.0.2.66 got 25 5xx in 5 min instead of a 403']);
    const [message] = await ctx.receiver.waitFor(1);
    expect(textOf(message!.body)).toContain('10 probes of sensitive paths');
  });

  it('a hanging webhook times out and never slows ingest', async () => {
    const ctx = await setup({ fallback: 'hang' }, { timeoutMs: 2000, maxAttempts: 1 });
    const app = createApp({ store, now: ctx.clock.now });
    const post = async (events: WatchpostEvent[]) => {
      const started = performance.now();
      const response = await app.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.ingestKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batchId: `hang-${String(++batchNumber).padStart(6, '0')}`, source: 'express', events }),
      });
      expect(response.status).toBe(202);
      return performance.now() - started;
    };
    await post(Array.from({ length: 150 }, (_, i) => event(T0 + i * 100, { status: 500 })));
    expect(await tickUntil(ctx, T0 + 20_000)).toHaveLength(1);
    await ctx.receiver.waitFor(1);
    expect(ctx.service.queue.stats().active).toBe(1);
    // While the delivery hangs (2 s timeout), ingest answers without waiting for it.
    const latencies = [];
    for (let i = 0; i < 5; i++) latencies.push(await post([event(T0 + 25_000 + i, { status: 200 })]));
    expect(Math.max(...latencies)).toBeLessThan(500);
    expect(ctx.service.queue.stats().active).toBe(1);
    await ctx.service.queue.idle();
    const [record] = await store.listDeliveries(ctx.site.id, 1);
    expect(record).toMatchObject({
      kind: 'burst',
      status: 'failed',
      attempts: 1,
      httpStatus: null,
      error: 'timed out after 2000 ms',
    });
  });
});
