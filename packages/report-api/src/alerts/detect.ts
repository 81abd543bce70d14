/**
 * Real-time alert detection. Runs on a periodic tick and reads only rollups (plus raw events of a
 * few suspect IPs), never the ingest request path: ingest stores and returns, and at most one tick
 * later the monitor sees what changed.
 */
import type { Site, Store } from '../db/store.js';
import { type BaselineOptions, baselineTest } from './baseline.js';
import { localHourStart, sameHourHistory } from './hourly.js';
import { type AlertNotice, createIncidentTracker, type IncidentTrackerOptions } from './incident.js';
import { localDate } from './schedule.js';
import { findBursts, liveBaselineFrom, liveBurstThreshold } from '../reports/bursts.js';
import { QUARTER_MS } from '../db/aggregate.js';
import { detectLoginAndRateIncidents } from './logins-rates.js';

/** What the monitor reads. */
export type MonitorStore = Pick<
  Store,
  | 'listSites'
  | 'errorBuckets'
  | 'ipErrorPeaks'
  | 'listDenyEntries'
  | 'trafficBuckets'
  | 'topDimension'
  | 'listEvents'
  | 'listKind'
  | 'autoBannedClients'
>;

/** Options of {@link createAlertMonitor}; every default is listed. */
export interface AlertMonitorOptions extends IncidentTrackerOptions {
  store: MonitorStore;
  /** Called with every notice (alert or resolved); should only enqueue, never wait. */
  notify: (site: Site, notice: AlertNotice) => void;
  now?: () => number;
  logError?: (error: unknown) => void;
  /**
   * A burst is more than this many (weighted) 4xx+5xx site-wide in any 30 s, in 5-s steps (`findBursts`; default 100).
   */
  burstThreshold?: number;
  /**
   * ... and more than this many times the typical 30 s of the two hours before (`liveBurstThreshold`;
   * default 3, as the report's `burstBaselineFactor`; 0 leaves the absolute threshold alone). On a
   * busy site, 100 errors can come every 30 s all day: that is the site's normal, not an incident.
   */
  burstBaselineFactor?: number;
  /** A client answered 5xx instead of 403: at least `min5xx` 5xx in `windowMs` (defaults 20 in 5 min) ... */
  suspicious5xx?: {
    min5xx?: number;
    windowMs?: number;
    /** ... and at least this many 4xx today, or probes/scanner/blocks (default 20). */ min4xx?: number;
  };
  /** Baseline: compare with this many previous days (default 14), evaluated at most every `everyMs` (default 60 s). */
  baseline?: BaselineOptions & { days?: number; everyMs?: number };
}

const WINDOW = 30_000;
const LOGIN_RATE_KINDS = [
  'login-brute-force',
  'login-credential-stuffing',
  'login-password-spraying',
  'login-compromised',
  'rate-limited',
] as const;

/**
 * Creates the monitor. Call `tick()` periodically (`createAlertService` does, every 10 s).
 *
 * @example
 * const monitor = createAlertMonitor({ store, notify: (site, notice) => console.log(site.name, notice.title) });
 * setInterval(() => void monitor.tick(), 10_000);
 */
export function createAlertMonitor({
  store,
  notify,
  now = Date.now,
  logError = (error) => console.error(error),
  burstThreshold = 100,
  burstBaselineFactor = 3,
  suspicious5xx = {},
  baseline = {},
  coolDownMs,
}: AlertMonitorOptions) {
  if (!(burstThreshold > 0)) throw new TypeError(`burstThreshold must be > 0, got ${burstThreshold}`);
  if (!(burstBaselineFactor >= 0 && burstBaselineFactor <= 1000))
    throw new TypeError(`burstBaselineFactor must be from 0 to 1000, got ${burstBaselineFactor}`);
  const { min5xx = 20, windowMs: suspiciousWindowMs = 300_000, min4xx = 20 } = suspicious5xx;
  const { days: baselineDays = 14, everyMs: baselineEveryMs = 60_000, ...baselineOptions } = baseline;
  const incidents = createIncidentTracker({ coolDownMs });
  const startedAt = now();
  const lastTick = new Map<string, number>();
  const lastBaseline = new Map<string, number>();
  const knownBans = new Map<string, Set<string>>();
  // Each site's live burst threshold, for the quarter-hour it was computed in: the 8 quarters it
  // reads before the current one are over, so it is read once a quarter, not every tick.
  const burstThresholdOf = new Map<string, { quarter: number; threshold: number }>();
  let running: Promise<AlertNotice[]> | null = null;
  // Ticks never overlap, so the notices of the running tick can be collected here for `tick()` to return.
  let raisedThisTick: AlertNotice[] = [];

  async function liveThreshold(site: Site, at: number): Promise<number> {
    const quarter = Math.floor(at / QUARTER_MS);
    const known = burstThresholdOf.get(site.id);
    if (known?.quarter === quarter) return known.threshold;
    const quarters = await store.trafficBuckets(site.id, liveBaselineFrom(at), at);
    const threshold = liveBurstThreshold(quarters, { at, absolute: burstThreshold, factor: burstBaselineFactor });
    burstThresholdOf.set(site.id, { quarter, threshold });
    return threshold;
  }

  async function checkBursts(site: Site, at: number): Promise<void> {
    // Look back over everything since the last tick (bounded), so a burst between ticks is not missed.
    const since = Math.max(at - 600_000, Math.min(at - 2 * WINDOW, (lastTick.get(site.id) ?? at) - WINDOW));
    const threshold = burstBaselineFactor === 0 ? burstThreshold : await liveThreshold(site, at);
    const bursts = findBursts(await store.errorBuckets(site.id, since, at + WINDOW), (errors) => errors > threshold);
    const worst = bursts.reduce<(typeof bursts)[number] | undefined>(
      (max, b) => (!max || b.errors > max.errors ? b : max),
      undefined,
    );
    if (worst) {
      // Only a new incident needs the IPs behind it (each with its worst 30 s); an open one just stays active.
      const open = incidents.isOpen(site.id, 'burst', 'site');
      const ips = open ? [] : await store.ipErrorPeaks(site.id, worst.windowsStart, worst.windowsEnd, 5);
      raise(
        site,
        incidents.active(
          {
            siteId: site.id,
            kind: 'burst',
            key: 'site',
            title:
              `Error burst: ${Math.round(worst.errors)} 4xx/5xx responses in 30 s ` +
              `(threshold ${Math.round(threshold)})`,
            lines: [
              `Worst 30 s from ${new Date(worst.peakStart).toISOString()}.`,
              ...ips.map((ip) => `${ip.ip}: ${Math.round(ip.errors)} errors`),
            ],
          },
          at,
        ),
      );
    }
    resolve(site, at, 'burst');
  }

  async function checkBans(site: Site, at: number): Promise<void> {
    const bans = (await store.listDenyEntries(site.id, at)).filter((entry) => entry.source === 'auto');
    let known = knownBans.get(site.id);
    if (!known) {
      // Bans that existed before this process started were announced by whoever was running then.
      known = new Set(bans.filter((ban) => ban.createdAt < startedAt).map((ban) => ban.id));
      knownBans.set(site.id, known);
    }
    for (const ban of bans) {
      if (known.has(ban.id)) continue;
      const until = ban.expiresAt === null ? 'with no expiry' : `until ${new Date(ban.expiresAt).toISOString()}`;
      raise(
        site,
        incidents.active(
          {
            siteId: site.id,
            kind: 'auto-ban',
            key: ban.id,
            title: `New automatic ban: ${ban.value}`,
            lines: [`Reason: ${ban.reason || '(none given)'}`, `Banned ${until}.`],
          },
          at,
        ),
      );
    }
    // Bans the middleware or the edge applied on their own show up as refused requests. The
    // look-back overlaps the previous tick by a window, for batches that arrive a little late.
    const since = (lastTick.get(site.id) ?? at - 2 * WINDOW) - WINDOW;
    const listed = new Set(bans.map((ban) => ban.value));
    for (const client of await store.autoBannedClients(site.id, since, at + WINDOW, 100)) {
      if (listed.has(client.ip)) continue; // already announced as a deny-list entry
      const by = client.rule === 'ban' ? "the middleware's temporary ban" : 'an automatic deny-list entry';
      raise(
        site,
        incidents.active(
          {
            siteId: site.id,
            kind: 'auto-ban',
            key: `ip:${client.ip}`,
            title: `New automatic ban: ${client.ip}`,
            lines: [`Refused by ${by} (rule ${client.rule}) since ${new Date(client.firstSeen).toISOString()}.`],
          },
          at,
        ),
      );
    }
    resolve(site, at, 'auto-ban');
  }

  async function checkSuspicious5xx(site: Site, at: number): Promise<void> {
    const today = localDate(at, site.timeZone);
    const candidates = await store.topDimension(site.id, today, 'ip', { orderBy: 's5xx', limit: 20, min: min5xx });
    for (const row of candidates) {
      const evidence: string[] = [];
      if (row.probes > 0) evidence.push(`${Math.round(row.probes)} probes of sensitive paths`);
      if (row.scanner > 0) evidence.push('user agent classified as a scanner');
      if (row.s4xx >= min4xx) evidence.push(`${Math.round(row.s4xx)} 4xx responses`);
      if (row.blocked + row.counted > 0)
        evidence.push(`${Math.round(row.blocked + row.counted)} requests matched a blocking rule`);
      if (evidence.length === 0) continue;
      // The day rollup narrows the candidates; the raw events of this one IP give the exact recent count.
      const recent = await store.listEvents(site.id, {
        from: at - suspiciousWindowMs,
        to: at + 1,
        ip: row.key,
        limit: 10_000,
      });
      const recent5xx = recent.reduce(
        (total, event) => (event.status >= 500 && event.status <= 599 ? total + 1 / event.sampleRate : total),
        0,
      );
      if (recent5xx < min5xx) continue;
      raise(
        site,
        incidents.active(
          {
            siteId: site.id,
            kind: 'suspicious-5xx',
            key: row.key,
            title:
              `${row.key} got ${Math.round(recent5xx)} 5xx in ${Math.round(suspiciousWindowMs / 60_000)} ` +
              `min instead of a 403`,
            lines: [
              `Today: ${evidence.join(', ')}.`,
              'Answering it with 403 (deny list) spares the backend and the success rate.',
            ],
          },
          at,
        ),
      );
    }
    resolve(site, at, 'suspicious-5xx');
  }

  async function checkBaseline(site: Site, at: number): Promise<void> {
    if (at - (lastBaseline.get(site.id) ?? Number.NEGATIVE_INFINITY) < baselineEveryMs) return;
    lastBaseline.set(site.id, at);
    const hourStart = localHourStart(at, site.timeZone);
    // The last complete hour may be a spike or a drop; the hour in progress can only prove a spike.
    const complete = await sameHourHistory(store, site, hourStart - 3_600_000, hourStart, baselineDays);
    const partial = await sameHourHistory(store, site, hourStart, at, baselineDays);
    const candidates = [
      { hour: complete, result: baselineTest(complete.current, complete.history, baselineOptions) },
      { hour: partial, result: baselineTest(partial.current, partial.history, baselineOptions) },
    ].filter(({ result }, index) => result.status === 'spike' || (index === 0 && result.status === 'drop'));
    const found = candidates[0];
    if (found) {
      const { hour, result } = found;
      const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
      const range = `${hhmm(hour.current.start)}–${hhmm(hour.current.end)} UTC`;
      raise(
        site,
        incidents.active(
          {
            siteId: site.id,
            kind: 'baseline',
            key: 'site',
            title:
              `Traffic ${result.status}: ${hour.current.requests.toLocaleString('en-US')} requests ` +
              `in ${range}, usually ${result.expected?.toLocaleString('en-US')}`,
            lines: [
              `Robust z-score ${result.z} against the same hour on ${result.days} ` +
                `previous ${
                  result.compared === 'same-kind'
                    ? hour.current.businessDay
                      ? 'business days'
                      : 'weekend days'
                    : 'days'
                }.`,
            ],
          },
          at,
        ),
      );
    }
    resolve(site, at, 'baseline');
  }

  async function checkLoginsAndRates(site: Site, at: number): Promise<void> {
    for (const found of await detectLoginAndRateIncidents(store, site, at)) {
      raise(site, incidents.active({ siteId: site.id, ...found }, at));
    }
    for (const kind of LOGIN_RATE_KINDS) resolve(site, at, kind);
  }

  function raise(site: Site, notice: AlertNotice | null): void {
    if (!notice) return;
    raisedThisTick.push(notice);
    try {
      notify(site, notice);
    } catch (error) {
      logError(error);
    }
  }

  function resolve(site: Site, at: number, kind: AlertNotice['kind']): void {
    for (const notice of incidents.resolveQuiet(at, { siteId: site.id, kind })) raise(site, notice);
  }

  async function tickOnce(): Promise<AlertNotice[]> {
    const at = now();
    const raised: AlertNotice[] = [];
    raisedThisTick = raised;
    for (const site of await store.listSites()) {
      // One failing check (or site) must not stop the others; an unevaluated kind is not resolved.
      for (const check of [checkBursts, checkBans, checkSuspicious5xx, checkBaseline, checkLoginsAndRates]) {
        try {
          await check(site, at);
        } catch (error) {
          logError(error);
        }
      }
      lastTick.set(site.id, at);
    }
    return raised;
  }

  return {
    /** Evaluates every site once; returns the notices raised. Overlapping calls share one run. */
    tick(): Promise<AlertNotice[]> {
      running ??= tickOnce().finally(() => {
        running = null;
      });
      return running;
    },
    /** Open incidents (for status output and tests). */
    openIncidents() {
      return incidents.list();
    },
  };
}

/** The monitor returned by {@link createAlertMonitor}. */
export type AlertMonitor = ReturnType<typeof createAlertMonitor>;
