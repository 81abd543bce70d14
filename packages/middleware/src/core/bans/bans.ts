import type { BanSharing, ResolvedBanSettings } from './shared.js';
import { createSlidingCounter } from './window.js';

/**
 * Temporary bans after bursts of errors. Defaults follow DESIGN.md: more than 100 4xx/5xx in
 * 30 s bans the client for 4 h. AWS WAF's automation (50 4xx per minute, 4 h) is
 * `{ threshold: 50, windowMs: 60_000, statuses: '4xx' }`.
 */
export interface BanOptions {
  /** A client is banned when its errors in the window exceed this. Default 100. */
  threshold?: number;
  /** Length of the sliding window. Default 30 000 ms. */
  windowMs?: number;
  /** First ban. Default 4 h. */
  banMs?: number;
  /** Each further ban lasts this many times the previous one. Default 2. */
  repeatMultiplier?: number;
  /** Upper bound of a ban. Default 7 days. */
  maxBanMs?: number;
  /** How long a client's past bans are remembered after its last ban ended. Default 24 h. */
  forgetAfterMs?: number;
  /** Which responses count: `errors` (4xx and 5xx, the default) or `4xx` only. */
  statuses?: 'errors' | '4xx';
  /** Most clients tracked (counters, and separately bans); the stalest are evicted. Default 100 000. */
  maxClients?: number;
  /**
   * Share counters and bans with the app's other instances (`redisBanSharing(...)` from
   * `@watchpost/middleware/redis`). Local counting and bans go on as without it.
   */
  shared?: BanSharing;
}

/** The ban book-keeping the engine calls into. */
export interface BanTracker {
  /** Whether `key` is banned at `now`. */
  isBanned(key: string, now: number): boolean;
  /** Records a response; returns the ban length in ms when this response started a ban, else 0. */
  record(key: string, status: number, now: number): number;
  /** Whether responses with this status count towards bans (`statuses`). */
  counts(status: number): boolean;
  /**
   * Bans `key` until `until` without counting (a ban decided elsewhere), or extends a shorter
   * one. A new ban is an offence like a counted one. True when it changed something.
   */
  impose(key: string, until: number, now: number): boolean;
  /** Ends `key`'s ban now; its past offences are still remembered. True when it was banned. */
  lift(key: string, now: number): boolean;
  /** The settings in force, defaults filled in. */
  readonly settings: Readonly<ResolvedBanSettings>;
  stats(now: number): { bansActive: number; bansIssued: number; clientsTracked: number; evictions: number };
  /** True while no client has ever been banned or remembered: lets the hot path skip the lookup. */
  readonly empty: boolean;
}

interface Ban {
  until: number;
  offences: number;
}

function positive(value: unknown, where: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${where} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Builds the ban tracker; throws a TypeError naming a bad option.
 *
 * @example
 * const bans = createBanTracker({ threshold: 50, windowMs: 60_000, statuses: '4xx' });
 * bans.record('203.0.113.7', 404, Date.now()); // 0 until the 51st 4xx in a minute
 */
export function createBanTracker({
  threshold = 100,
  windowMs = 30_000,
  banMs = 4 * 3_600_000,
  repeatMultiplier = 2,
  maxBanMs = 7 * 86_400_000,
  forgetAfterMs = 86_400_000,
  statuses = 'errors',
  maxClients = 100_000,
}: BanOptions = {}): BanTracker {
  positive(threshold, 'options.bans.threshold', true);
  positive(windowMs, 'options.bans.windowMs');
  positive(banMs, 'options.bans.banMs');
  if (typeof repeatMultiplier !== 'number' || !(repeatMultiplier >= 1) || !Number.isFinite(repeatMultiplier)) {
    throw new TypeError(`options.bans.repeatMultiplier must be a number >= 1, got ${JSON.stringify(repeatMultiplier)}`);
  }
  positive(maxBanMs, 'options.bans.maxBanMs');
  positive(forgetAfterMs, 'options.bans.forgetAfterMs');
  if (statuses !== 'errors' && statuses !== '4xx') {
    throw new TypeError(`options.bans.statuses must be "errors" or "4xx", got ${JSON.stringify(statuses)}`);
  }
  positive(maxClients, 'options.bans.maxClients', true);

  const minStatus = 400;
  const maxStatus = statuses === '4xx' ? 499 : 599;
  const counter = createSlidingCounter({ windowMs, maxClients });
  // Bans live apart from counters, so a flood of one-shot IPs cannot evict a banned client.
  const bans = new Map<string, Ban>();
  let banEvictions = 0;
  let bansIssued = 0;

  function offencesAfter(past: Ban | undefined, now: number): number {
    return past !== undefined && now - past.until < forgetAfterMs ? past.offences + 1 : 1;
  }

  function store(key: string, past: Ban | undefined, entry: Ban, now: number): void {
    if (past !== undefined) bans.delete(key);
    else if (bans.size >= maxClients) evictBan(now);
    bans.set(key, entry);
    counter.reset(key);
  }

  function ban(key: string, now: number): number {
    const past = bans.get(key);
    const offences = offencesAfter(past, now);
    const length = Math.min(maxBanMs, banMs * repeatMultiplier ** (offences - 1));
    store(key, past, { until: now + length, offences }, now);
    bansIssued++;
    return length;
  }

  function evictBan(now: number): void {
    // Prefer a ban that is already over; else the oldest one.
    let victim: string | undefined;
    let scanned = 0;
    for (const [key, entry] of bans) {
      victim ??= key;
      if (entry.until <= now) {
        victim = key;
        break;
      }
      if (++scanned >= 64) break;
    }
    if (victim !== undefined) {
      bans.delete(victim);
      banEvictions++;
    }
  }

  return {
    isBanned(key, now) {
      const entry = bans.get(key);
      if (entry === undefined) return false;
      if (entry.until > now) return true;
      if (now - entry.until >= forgetAfterMs) bans.delete(key);
      return false;
    },
    record(key, status, now) {
      if (status < minStatus || status > maxStatus) return 0;
      const entry = bans.get(key);
      if (entry !== undefined && entry.until > now) return 0;
      return counter.hit(key, now) > threshold ? ban(key, now) : 0;
    },
    counts(status) {
      return status >= minStatus && status <= maxStatus;
    },
    impose(key, until, now) {
      if (!(until > now)) return false;
      const past = bans.get(key);
      if (past !== undefined && past.until > now) {
        if (past.until >= until) return false;
        // The same offence seen from elsewhere (or for longer): extend, do not escalate.
        past.until = until;
        return true;
      }
      store(key, past, { until, offences: offencesAfter(past, now) }, now);
      return true;
    },
    lift(key, now) {
      const entry = bans.get(key);
      if (entry === undefined || entry.until <= now) return false;
      entry.until = now;
      return true;
    },
    settings: { threshold, windowMs, banMs, repeatMultiplier, maxBanMs, forgetAfterMs, statuses, maxClients },
    stats(now) {
      let bansActive = 0;
      for (const entry of bans.values()) if (entry.until > now) bansActive++;
      return { bansActive, bansIssued, clientsTracked: counter.size, evictions: counter.evictions + banEvictions };
    },
    get empty() {
      return bans.size === 0;
    },
  };
}
