/**
 * The worker's settings, read once per isolate from its bindings (`vars`, secrets) and validated.
 * Every optional var has a documented default; see README.md "Settings".
 */
import { parseLogins, parseRateRules, type EdgeLogins, type EdgeRateRule } from './rate-settings.js';

/** The subset of the worker's `env` that holds plain settings (strings). */
export interface SettingsEnv {
  ORIGIN_URL?: string;
  REPORT_API_URL?: string;
  INGEST_KEY?: string;
  /** `block` (default) answers 403; `count` only records what would have been blocked. */
  WATCHPOST_MODE?: string;
  /** Share of allowed requests kept as events, 0 < rate ≤ 1 (default 1). */
  SAMPLE_RATE?: string;
  /** How long an isolate trusts its in-memory deny list before re-reading KV, in ms (default 30000). */
  DENYLIST_TTL_MS?: string;
  /** Events buffered in an isolate before a flush is started (default 100). */
  EVENTS_BATCH_SIZE?: string;
  /** Longest time an event waits in an isolate's buffer before it is flushed, in ms (default 5000). */
  EVENTS_FLUSH_MS?: string;
  /** 4xx/5xx responses per client within BURST_WINDOW_MS that trigger a ban (default 100). */
  BURST_THRESHOLD?: string;
  /** The sliding window of the burst counter, in ms (default 30000). */
  BURST_WINDOW_MS?: string;
  /** How long a burst ban lasts, in ms (default 4 hours). */
  BAN_MS?: string;
  /** Which responses count towards a burst: `errors` (4xx and 5xx, default) or `4xx`. */
  BURST_STATUSES?: string;
  /** JSON array of rate rules (see README.md "Rate rules"); absent: none. */
  RATE_RULES?: string;
  /** JSON object declaring login endpoints and detection thresholds (README.md "Login monitoring"). */
  LOGINS?: string;
  /** Secret (at least 16 characters) the engine hashes login accounts with; without it none are read. */
  LOGIN_ACCOUNT_KEY?: string;
}

/** Validated settings. `reportApiUrl`/`ingestKey` are null when events and deny-list sync are off. */
export interface Settings {
  originUrl: URL;
  reportApiUrl: URL | null;
  ingestKey: string | null;
  mode: 'block' | 'count';
  sampleRate: number;
  denyListTtlMs: number;
  eventsBatchSize: number;
  eventsFlushMs: number;
  bursts: { threshold: number; windowMs: number; banMs: number; statuses: 'errors' | '4xx' };
  rateRules: EdgeRateRule[];
  logins: EdgeLogins | null;
  /** `LOGIN_ACCOUNT_KEY`, or null: accounts are then neither read nor counted. */
  loginAccountKey: string | null;
}

function parseUrl(name: string, value: string | undefined, required: boolean): URL | null {
  if (value === undefined || value === '') {
    if (required) throw new TypeError(`${name} is required (the URL of the origin), got nothing`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url;
}

function parseNumber(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  // Counts must be whole here: the forwarder and the ban tracker reject 1.5 with a message naming
  // their option, not the var, and only on the first request.
  if (!Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
    throw new TypeError(
      `${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

/**
 * Reads and validates the settings; throws a `TypeError` that names the bad value.
 *
 * @example
 * const settings = readSettings({ ORIGIN_URL: 'https://origin.example', REPORT_API_URL: 'https://wp.example',
 *   INGEST_KEY: 'k' });
 * settings.mode; // 'block'
 */
export function readSettings(env: SettingsEnv): Settings {
  const originUrl = parseUrl('ORIGIN_URL', env.ORIGIN_URL, true) as URL;
  const reportApiUrl = parseUrl('REPORT_API_URL', env.REPORT_API_URL, false);
  const ingestKey = env.INGEST_KEY && env.INGEST_KEY.length > 0 ? env.INGEST_KEY : null;
  const mode = env.WATCHPOST_MODE ?? 'block';
  if (mode !== 'block' && mode !== 'count') {
    throw new TypeError(`WATCHPOST_MODE must be "block" or "count", got ${JSON.stringify(mode)}`);
  }
  const statuses = env.BURST_STATUSES || 'errors';
  if (statuses !== 'errors' && statuses !== '4xx') {
    throw new TypeError(`BURST_STATUSES must be "errors" or "4xx", got ${JSON.stringify(statuses)}`);
  }
  const sampleRate = parseNumber('SAMPLE_RATE', env.SAMPLE_RATE, 1, 0, 1);
  const loginAccountKey = env.LOGIN_ACCOUNT_KEY || null;
  if (loginAccountKey !== null && loginAccountKey.length < 16) {
    // The value is a secret: name its length, never the value.
    throw new TypeError(`LOGIN_ACCOUNT_KEY must be at least 16 characters, got ${loginAccountKey.length}`);
  }
  if (sampleRate === 0) throw new TypeError('SAMPLE_RATE must be greater than 0, got "0"');
  return {
    originUrl,
    // Without a key the report API would answer 401 to everything: treat both as "not configured".
    reportApiUrl: ingestKey ? reportApiUrl : null,
    ingestKey: reportApiUrl ? ingestKey : null,
    mode,
    sampleRate,
    denyListTtlMs: parseNumber('DENYLIST_TTL_MS', env.DENYLIST_TTL_MS, 30_000, 0, 86_400_000),
    eventsBatchSize: parseNumber('EVENTS_BATCH_SIZE', env.EVENTS_BATCH_SIZE, 100, 1, 1000, true),
    eventsFlushMs: parseNumber('EVENTS_FLUSH_MS', env.EVENTS_FLUSH_MS, 5_000, 0, 25_000),
    bursts: {
      threshold: parseNumber('BURST_THRESHOLD', env.BURST_THRESHOLD, 100, 1, 1_000_000, true),
      windowMs: parseNumber('BURST_WINDOW_MS', env.BURST_WINDOW_MS, 30_000, 1_000, 86_400_000),
      banMs: parseNumber('BAN_MS', env.BAN_MS, 4 * 3_600_000, 1_000, 30 * 86_400_000),
      statuses,
    },
    rateRules: parseRateRules(env.RATE_RULES),
    logins: parseLogins(env.LOGINS),
    loginAccountKey,
  };
}
