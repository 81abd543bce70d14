import type { ReportApiOptions } from '../runtime.js';

// C0 controls, DEL and whitespace: the URL parser would silently drop tabs and newlines, hiding a pasted mistake.
// eslint-disable-next-line no-control-regex -- refusing control bytes is the point
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;

/**
 * Parses the base URL of the report API: http or https, a host, a port from 1 to 65535, no credentials,
 * query or fragment (batches go to `${url}/v1/events`). Returns it without a trailing slash.
 * Throws a `TypeError` naming `name` otherwise.
 *
 * @example
 * parseReportApiUrl('https://watchpost.example/', 'reportApi.url'); // 'https://watchpost.example'
 * parseReportApiUrl('http://127.0.0.1:99999', 'reportApi.url'); // throws TypeError
 */
export function parseReportApiUrl(value: unknown, name: string): string {
  const fail = (why: string): never => {
    throw new TypeError(`${name} must be an http(s) URL of the report API (${why}), got ${JSON.stringify(value)}`);
  };
  if (typeof value !== 'string') return fail('not a string');
  if (value.length > 2048) return fail('longer than 2048 characters');
  if (CONTROL_OR_SPACE.test(value)) return fail('control character or space');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Also where a port outside 0..65535 ends up: the WHATWG parser refuses it.
    return fail('not a URL, or its port is not from 1 to 65535');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`scheme ${url.protocol} is not http or https`);
  if (url.hostname === '') return fail('no host');
  if (url.port === '0') return fail('port 0');
  if (url.username !== '' || url.password !== '') return fail('credentials belong in ingestKey, not the URL');
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#'))
    return fail('no query or fragment');
  return url.href.replace(/\/+$/, '');
}

/**
 * Checks the `reportApi` option of the middleware at construction, so that a bad URL, key or period
 * is a `TypeError` naming it when the app starts rather than a failure on first use.
 *
 * @example
 * checkReportApiOptions({ url: 'https://watchpost.example', ingestKey: 'wpi_x' }); // ok
 */
export function checkReportApiOptions(reportApi: ReportApiOptions): void {
  if (reportApi === null || typeof reportApi !== 'object')
    throw new TypeError(`options.reportApi must be an object, got ${JSON.stringify(reportApi)}`);
  parseReportApiUrl(reportApi.url, 'reportApi.url');
  const { ingestKey, syncIntervalMs, syncWaitS, fetch: fetchFn, forwarder } = reportApi;
  if (typeof ingestKey !== 'string' || ingestKey === '' || ingestKey.length > 512 || CONTROL_OR_SPACE.test(ingestKey))
    throw new TypeError(
      `reportApi.ingestKey must be a non-empty key without spaces or control characters, got ${
        typeof ingestKey === 'string' ? `a string of ${ingestKey.length} characters` : typeof ingestKey
      }`,
    );
  if (syncIntervalMs !== undefined && !(Number.isFinite(syncIntervalMs) && syncIntervalMs > 0))
    throw new TypeError(`reportApi.syncIntervalMs must be a positive finite number, got ${String(syncIntervalMs)}`);
  if (syncWaitS !== undefined && !(Number.isInteger(syncWaitS) && syncWaitS >= 0 && syncWaitS <= 30))
    throw new TypeError(`reportApi.syncWaitS must be whole seconds from 0 to 30, got ${String(syncWaitS)}`);
  if (fetchFn !== undefined && typeof fetchFn !== 'function')
    throw new TypeError(`reportApi.fetch must be a function, got ${typeof fetchFn}`);
  if (forwarder !== undefined && (forwarder === null || typeof forwarder !== 'object'))
    throw new TypeError(`reportApi.forwarder must be an object, got ${JSON.stringify(forwarder)}`);
  for (const key of ['flushIntervalMs', 'timeoutMs', 'backoffMs', 'maxBackoffMs', 'fullQueueBackoffMs'] as const) {
    const value = forwarder?.[key];
    // flushIntervalMs 0 is the documented manual mode; the others must be positive.
    const min = key === 'flushIntervalMs' ? 0 : Number.MIN_VALUE;
    if (value !== undefined && !isTimerMs(value, min))
      throw new TypeError(
        `reportApi.forwarder.${key} must be a number of ms ${min === 0 ? '>= 0' : '> 0'} and <= ${MAX_TIMER_MS}, ` +
          `got ${String(value)}`,
      );
  }
}

/** The longest delay `setTimeout` honours; past it Node and browsers fire after ~1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * True when `value` is a usable timer delay: finite, at least `min`, at most {@link MAX_TIMER_MS}.
 *
 * @example
 * isTimerMs(5_000, 0); // true
 * isTimerMs(Infinity, 0); // false
 */
export function isTimerMs(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= MAX_TIMER_MS;
}
