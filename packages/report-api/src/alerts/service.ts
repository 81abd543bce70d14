/**
 * The alerting service `watchpost serve` starts: the monitor (real-time alerts), the scheduler
 * (daily reports) and the delivery queue they both feed.
 */
import { randomUUID } from 'node:crypto';
import { reportUrl } from '../dashboard/urls.js';
import type { Site, Store } from '../db/store.js';
import { buildDailyReport } from '../reports/build.js';
import { reportToMarkdown } from '../reports/markdown.js';
import { createDeliveryQueue, type DeliveryQueue, type DeliveryQueueOptions } from './deliver.js';
import { type AlertMonitorOptions, createAlertMonitor } from './detect.js';
import type { AlertKind } from './incident.js';
import { noticePayload, reportPayload, type SlackPayload, testPayload } from './payload.js';
import { createReportScheduler, type Timers } from './scheduler.js';
import { localDate } from './schedule.js';

/** Options of {@link createAlertService}; every default is listed. */
export interface AlertServiceOptions {
  store: Store;
  /**
   * Base URL of this server as users reach it, for dashboard links, e.g. `https://watchpost.example`. Null: no links.
   */
  publicUrl: string | null;
  now?: () => number;
  timers?: Timers;
  logError?: (error: unknown) => void;
  /** How often the monitor evaluates every site (default 10,000 ms). */
  tickMs?: number;
  /** Delivery settings (timeouts, retries, concurrency); `record` is always the store. */
  delivery?: Omit<DeliveryQueueOptions, 'record' | 'now' | 'logError'>;
  /** Report scheduler settings (how often settings are re-read, how late a report may still go out). */
  schedule?: { recheckMs?: number; graceMs?: number };
  /** Detection thresholds. */
  detection?: Pick<
    AlertMonitorOptions,
    'burstThreshold' | 'burstBaselineFactor' | 'suspicious5xx' | 'baseline' | 'coolDownMs'
  >;
  /** This service's name in the store's leases (default a random UUID); see {@link createAlertService}. */
  instanceId?: string;
}

/**
 * Wires monitor, scheduler and delivery queue to a store.
 *
 * Several `serve` instances on one database (PostgreSQL behind a load balancer, or two processes on
 * one SQLite file) alert once, not once each: the monitor runs only in the instance holding the
 * store lease `alerts:monitor` (renewed every tick, handed over by `stop()`, taken over by another
 * instance within three ticks when its holder dies), and each scheduled daily report is claimed once per site and date
 * (`report:<site>:<date>`). Incident state lives in the monitor's memory, so after a takeover an
 * incident still open may be announced once more.
 *
 * @example
 * const alerts = createAlertService({ store, publicUrl: 'https://watchpost.example' });
 * await alerts.start();
 * // ... on shutdown:
 * await alerts.stop();
 */
export function createAlertService({
  store,
  publicUrl,
  now = Date.now,
  timers,
  logError = (error) => console.error(error),
  tickMs = 10_000,
  delivery = {},
  schedule = {},
  detection = {},
  instanceId = randomUUID(),
}: AlertServiceOptions) {
  if (publicUrl !== null && !/^https?:\/\//.test(publicUrl))
    throw new TypeError(`publicUrl must start with http:// or https://, got ${JSON.stringify(publicUrl)}`);
  const base = publicUrl?.replace(/\/+$/, '') ?? null;
  const linkTo = (site: Site, date: string) => (base ? `${base}${reportUrl(site.id, date)}` : null);
  const queue: DeliveryQueue = createDeliveryQueue({
    ...delivery,
    record: (d) => store.recordDelivery(d),
    now,
    logError,
  });

  /** Queues one payload for every webhook of the site; returns how many were queued. */
  async function broadcast(site: Site, kind: AlertKind, summary: string, payload: SlackPayload): Promise<number> {
    const hooks = await store.listWebhooks(site.id);
    for (const webhook of hooks)
      queue.enqueue({ siteId: site.id, webhook: { id: webhook.id, url: webhook.url }, kind, summary, payload });
    return hooks.length;
  }

  const monitor = createAlertMonitor({
    ...detection,
    store,
    now,
    logError,
    notify(site, notice) {
      const payload = noticePayload(notice, {
        siteName: site.name,
        url: linkTo(site, localDate(notice.at, site.timeZone)),
      });
      const summary = notice.state === 'resolved' ? notice.title : `Alert: ${notice.title}`;
      broadcast(site, notice.kind, summary.slice(0, 300), payload).catch(logError);
    },
  });

  async function sendReport(site: Site, date: string): Promise<number> {
    const report = await buildDailyReport(store, site, date, { now });
    const title = `Watchpost daily report: ${site.name}, ${date}`;
    return broadcast(
      site,
      'daily-report',
      title,
      reportPayload({ title, markdown: reportToMarkdown(report), url: linkTo(site, date) }),
    );
  }

  // Seven days: long past any grace period, so a report is never claimed twice; purge drops it later.
  const claimReport = (site: Site, date: string, fireAt: number) =>
    store.claimLease(`report:${site.id}:${date}`, instanceId, fireAt + 7 * 86_400_000, now());
  const scheduler = createReportScheduler({
    ...schedule,
    store,
    now,
    timers,
    logError,
    sendReport: async (site, date, fireAt) => {
      if (await claimReport(site, date, fireAt)) await sendReport(site, date);
    },
  });
  const setTimer = timers?.setTimeout ?? ((callback: () => void, ms: number) => setTimeout(callback, ms).unref());
  const clearTimer =
    timers?.clearTimeout ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let tickTimer: unknown = null;
  let running = false;
  let ticking: Promise<unknown> = Promise.resolve();

  /** One monitor evaluation, in the instance that holds (or now takes) the monitor lease. */
  async function monitorTick(): Promise<void> {
    const at = now();
    if (await store.claimLease('alerts:monitor', instanceId, at + 3 * tickMs, at)) await monitor.tick();
  }

  function scheduleTick(): void {
    if (!running) return;
    tickTimer = setTimer(() => {
      ticking = monitorTick().catch(logError).finally(scheduleTick);
    }, tickMs);
  }

  return {
    monitor,
    scheduler,
    queue,
    /** Starts the periodic monitor and the report scheduler. */
    async start(): Promise<void> {
      if (running) return;
      running = true;
      await scheduler.start();
      scheduleTick();
    },
    /** Stops timers and waits (at most `graceMs`) for deliveries in flight. */
    async stop(graceMs = 5000): Promise<void> {
      running = false;
      scheduler.stop();
      if (tickTimer !== null) clearTimer(tickTimer);
      // A tick in flight finishes first (the store is usually closed right after), then deliveries get `graceMs`.
      await ticking;
      // Hand the monitor over now rather than when the lease runs out (a no-op unless this instance holds it).
      await store.claimLease('alerts:monitor', instanceId, now(), now()).catch(logError);
      await Promise.race([queue.idle(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
    /** Queues a test message to every webhook of the site; returns how many webhooks it went to. */
    sendTest(site: Site): Promise<number> {
      const at = now();
      return broadcast(
        site,
        'test',
        'Test message',
        testPayload({ siteName: site.name, at, url: linkTo(site, localDate(at, site.timeZone)) }),
      );
    },
    /** Builds and queues the daily report of `date` now, whatever the schedule says. */
    sendReport,
  };
}

/** The service returned by {@link createAlertService}. */
export type AlertService = ReturnType<typeof createAlertService>;
