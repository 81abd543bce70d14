/**
 * Sends each site's daily report at its local report time. One timer for the whole process, set to
 * the earliest due report but never longer than `recheckMs`, so settings changed by the CLI or
 * another process are picked up without a restart.
 */
import type { Site, Store } from '../db/store.js';
import { localDate, nextReportTime, type ReportSchedule } from './schedule.js';
import type { AlertStore } from '../db/alerts.js';

/** Timer functions, injectable so tests can drive time. */
export interface Timers {
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** Options of {@link createReportScheduler}; every default is listed. */
export interface ReportSchedulerOptions {
  store: Pick<Store, 'listSites'> & Pick<AlertStore, 'getAlertSettings'>;
  /** Builds and queues the report of `site` for local day `date`. Errors are logged, not retried. */
  sendReport: (site: Site, date: string, fireAt: number) => Promise<void>;
  now?: () => number;
  timers?: Timers;
  logError?: (error: unknown) => void;
  /** Longest sleep before settings are read again (default 60 s). */
  recheckMs?: number;
  /**
   * A report whose time passed at most this long ago is still sent (a late wake-up, a busy machine);
   * a report missed by more (the process was down) is skipped (default 15 min).
   */
  graceMs?: number;
}

interface Pending {
  fireAt: number;
  scheduleKey: string;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Creates the scheduler; `start()` arms it, `stop()` disarms it.
 *
 * @example
 * const scheduler = createReportScheduler({ store, sendReport: async (site, date) => queueReport(site, date) });
 * scheduler.start();
 */
export function createReportScheduler({
  store,
  sendReport,
  now = Date.now,
  timers = realTimers,
  logError = (error) => console.error(error),
  recheckMs = 60_000,
  graceMs = 15 * 60_000,
}: ReportSchedulerOptions) {
  if (!(recheckMs > 0)) throw new TypeError(`recheckMs must be > 0, got ${recheckMs}`);
  const pending = new Map<string, Pending>();
  let timer: unknown = null;
  let running = false;
  let waking: Promise<void> | null = null;

  async function wakeOnce(): Promise<void> {
    const at = now();
    const seen = new Set<string>();
    for (const site of await store.listSites()) {
      seen.add(site.id);
      try {
        const settings = await store.getAlertSettings(site.id);
        const schedule: ReportSchedule = { timeZone: site.timeZone, ...settings };
        const scheduleKey = `${schedule.timeZone}|${schedule.reportTime}|${schedule.businessDaysOnly}`;
        const entry = pending.get(site.id);
        if (!entry || entry.scheduleKey !== scheduleKey) {
          pending.set(site.id, { fireAt: nextReportTime(schedule, at), scheduleKey });
          continue;
        }
        if (at < entry.fireAt) continue;
        // Due: move on to the next report first, so a slow or failing send cannot fire twice.
        pending.set(site.id, { fireAt: nextReportTime(schedule, Math.max(at, entry.fireAt)), scheduleKey });
        if (at - entry.fireAt > graceMs) {
          logError(
            new Error(
              `daily report of site ${site.id} due at ${new Date(entry.fireAt).toISOString()} skipped: woke up ` +
                `too late`,
            ),
          );
          continue;
        }
        await sendReport(site, localDate(entry.fireAt, site.timeZone), entry.fireAt);
      } catch (error) {
        logError(error);
      }
    }
    for (const siteId of pending.keys()) if (!seen.has(siteId)) pending.delete(siteId);
  }

  function arm(): void {
    if (!running) return;
    const at = now();
    let next = at + recheckMs;
    for (const entry of pending.values()) next = Math.min(next, entry.fireAt);
    timer = timers.setTimeout(
      () => {
        timer = null;
        void wake().finally(arm);
      },
      Math.max(0, next - at),
    );
  }

  function wake(): Promise<void> {
    waking ??= wakeOnce()
      .catch(logError)
      .finally(() => {
        waking = null;
      });
    return waking;
  }

  return {
    /** Reads the schedules and arms the timer. */
    start(): Promise<void> {
      if (running) return Promise.resolve();
      running = true;
      return wake().finally(arm);
    },
    stop(): void {
      running = false;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
    /** Re-reads settings now (after a change in this process) and re-arms the timer. */
    async refresh(): Promise<void> {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await wake();
      arm();
    },
    /** The next report time of each site, epoch ms. */
    nextReports(): Map<string, number> {
      return new Map([...pending].map(([siteId, entry]) => [siteId, entry.fireAt]));
    },
  };
}

/** The scheduler returned by {@link createReportScheduler}. */
export type ReportScheduler = ReturnType<typeof createReportScheduler>;
