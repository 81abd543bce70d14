import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../db/sqlite/open.js';
import type { Store } from '../db/store.js';
import { createReportScheduler } from './scheduler.js';
import { createAlertService } from './service.js';
import { createManualClock } from '../../test/support/clock.js';
import { startReceiver, type Receiver } from '../../test/support/receiver.js';

let dir: string;
let store: Store;
let receiver: Receiver;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wp-sched-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (text: string) => Date.parse(text);
const textOf = (body: unknown) => (body as { text: string }).text;

/** A site with one webhook and a service on a manual clock; returns when each report was queued. */
async function setup(timeZone: string, start: string, settings?: { reportTime?: string; businessDaysOnly?: boolean }) {
  const clock = createManualClock(at(start));
  const { site } = await store.createSite({ name: 'shop', timeZone, homeCountry: 'JP' });
  await store.addWebhook(site.id, receiver.url, clock.now());
  if (settings) await store.setAlertSettings(site.id, settings);
  const service = createAlertService({
    store,
    publicUrl: 'https://watchpost.example',
    now: clock.now,
    timers: clock.timers,
    tickMs: 3_600_000,
    schedule: { recheckMs: 3_600_000 },
  });
  await service.start();
  /** Advances the clock to `until` and returns the ISO times at which report deliveries were recorded. */
  const reportsUntil = async (until: string) => {
    await clock.advanceTo(at(until));
    await service.queue.idle();
    return (await store.listDeliveries(site.id, 100))
      .filter((d) => d.kind === 'daily-report')
      .map((d) => new Date(d.at).toISOString())
      .reverse();
  };
  return { site, clock, service, reportsUntil };
}

describe('daily report schedule (real store, real receiver, manual clock)', () => {
  it('Asia/Tokyo: arrives at 17:00 local on business days only, with the report and a dashboard link', async () => {
    const { site, service, reportsUntil } = await setup('Asia/Tokyo', '2026-01-02T00:00:00Z');
    expect(await reportsUntil('2026-01-02T07:59:00Z')).toEqual([]);
    expect(await reportsUntil('2026-01-02T08:00:00Z')).toEqual(['2026-01-02T08:00:00.000Z']);
    const [message] = await receiver.waitFor(1);
    expect(textOf(message!.body)).toContain('Watchpost daily report: shop, 2026-01-02');
    expect(textOf(message!.body)).toContain(`https://watchpost.example/dashboard/sites/${site.id}?date=2026-01-02`);
    // Saturday and Sunday are skipped; Monday 17:00 JST is 08:00 UTC.
    expect(await reportsUntil('2026-01-05T09:00:00Z')).toEqual([
      '2026-01-02T08:00:00.000Z',
      '2026-01-05T08:00:00.000Z',
    ]);
    await service.stop();
  });

  it('America/New_York every day: 17:00 local across the spring-forward weekend', async () => {
    const spring = await setup('America/New_York', '2026-03-06T12:00:00Z', { businessDaysOnly: false });
    expect(await spring.reportsUntil('2026-03-09T23:00:00Z')).toEqual([
      '2026-03-06T22:00:00.000Z',
      '2026-03-07T22:00:00.000Z',
      '2026-03-08T21:00:00.000Z', // spring-forward Sunday: EDT
      '2026-03-09T21:00:00.000Z',
    ]);
    await spring.service.stop();
  });

  it('Europe/Berlin fall-back day, report time changed while running', async () => {
    const { site, service, clock, reportsUntil } = await setup('Europe/Berlin', '2026-10-24T12:00:00Z', {
      businessDaysOnly: false,
    });
    expect(await reportsUntil('2026-10-24T20:00:00Z')).toEqual(['2026-10-24T15:00:00.000Z']); // CEST
    await store.setAlertSettings(site.id, { reportTime: '09:30' });
    await service.scheduler.refresh();
    expect(await reportsUntil('2026-10-25T20:00:00Z')).toEqual([
      '2026-10-24T15:00:00.000Z',
      '2026-10-25T08:30:00.000Z',
    ]); // CET
    expect(clock.now()).toBe(at('2026-10-25T20:00:00Z'));
    await service.stop();
  });
});

describe('several instances on one database', () => {
  it('each daily report goes out once, and the monitor runs in one instance, taken over when it stops', async () => {
    const clock = createManualClock(at('2026-01-02T00:00:00Z'));
    const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
    await store.addWebhook(site.id, receiver.url, clock.now());
    const ticks = { a: 0, b: 0 };
    const start = async (name: 'a' | 'b') => {
      const service = createAlertService({
        store,
        publicUrl: null,
        now: clock.now,
        timers: clock.timers,
        tickMs: 600_000,
        schedule: { recheckMs: 3_600_000 },
        instanceId: name,
      });
      const tick = service.monitor.tick;
      service.monitor.tick = async () => {
        ticks[name]++;
        return tick();
      };
      await service.start();
      return service;
    };
    const a = await start('a');
    const b = await start('b');
    await clock.advanceTo(at('2026-01-05T09:00:00Z')); // Friday and Monday 17:00 in Tokyo
    await Promise.all([a.queue.idle(), b.queue.idle()]);
    const reports = (await store.listDeliveries(site.id, 100)).filter((d) => d.kind === 'daily-report');
    expect(reports.map((d) => new Date(d.at).toISOString()).reverse()).toEqual([
      '2026-01-02T08:00:00.000Z',
      '2026-01-05T08:00:00.000Z',
    ]);
    expect(receiver.messages.filter((m) => textOf(m.body).includes('Watchpost daily report'))).toHaveLength(2);
    // 81 hours of 10-minute ticks: all in the instance that took the lease first.
    expect(ticks.a).toBeGreaterThan(400);
    expect(ticks.b).toBe(0);
    // The holder stops: within three ticks the other instance takes over.
    await a.stop();
    await clock.advanceTo(at('2026-01-05T10:00:00Z'));
    expect(ticks.b).toBeGreaterThanOrEqual(3);
    await b.stop();
  });
});

describe('createReportScheduler', () => {
  it('skips a report missed by more than the grace period instead of sending it late', async () => {
    const clock = createManualClock(at('2026-01-02T07:00:00Z'));
    const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: null });
    const sent: string[] = [];
    const errors: string[] = [];
    const scheduler = createReportScheduler({
      store,
      now: clock.now,
      timers: clock.timers,
      recheckMs: 3_600_000,
      logError: (error) => errors.push(String(error)),
      sendReport: async (s, date) => void sent.push(`${s.id} ${date}`),
    });
    await scheduler.start();
    expect(scheduler.nextReports().get(site.id)).toBe(at('2026-01-02T08:00:00Z'));
    scheduler.stop();
    // The process "sleeps" through 17:00 and wakes up an hour late.
    clock.set(at('2026-01-02T09:00:00Z'));
    await scheduler.refresh();
    expect(sent).toEqual([]);
    expect(errors.join()).toMatch(/skipped: woke up too late/);
    expect(scheduler.nextReports().get(site.id)).toBe(at('2026-01-05T08:00:00Z'));
    scheduler.stop();
  });
});
