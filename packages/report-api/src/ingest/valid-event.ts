import { normalizeIp } from '@watchpost/middleware';
import {
  actionSchema,
  botCategorySchema,
  MAX_BOT_NAME_LENGTH,
  MAX_EVENT_TS,
  MAX_LATENCY_MS,
  MAX_PATH_LENGTH,
  MAX_UA_LENGTH,
  MIN_EVENT_TS,
  MIN_SAMPLE_RATE,
  type WatchpostEvent,
} from '@watchpost/middleware/protocol';

// The keys `surelyValid` checks, listed by hand, not read from the schema: a field added to the
// schema must not pass here unchecked (an event with it goes to zod until this check learns it).
const KEYS = new Set([
  'ts',
  'ip',
  'country',
  'method',
  'host',
  'path',
  'status',
  'latencyMs',
  'ua',
  'action',
  'rule',
  'botCategory',
  'sampleRate',
  'asn',
  'login',
  'botName',
]);
const ACTIONS = new Set<string>(actionSchema.options);
const BOT_CATEGORIES = new Set<string>(botCategorySchema.options);
const COUNTRY = /^[A-Z]{2}$/;
const ACCOUNT = /^[0-9a-f]{32}$/;
// The same text checks as ingest validation: C0, DEL and C1 controls, and unpaired surrogates.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const text = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max && !CONTROL.test(value) && !LONE_SURROGATE.test(value);
/** IPs already seen in normalised form: logs repeat a few thousand clients. Cleared whole when full. */
const normalizedIps = new Set<string>();
const MAX_NORMALIZED_IPS = 20_000;

/** A dotted quad without leading zeros: already in the form `normalizeIp` gives. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function isNormalizedIp(ip: unknown): boolean {
  if (typeof ip !== 'string' || ip.length > 100) return false;
  if (IPV4.test(ip) || normalizedIps.has(ip)) return true;
  if (normalizeIp(ip) !== ip) return false;
  if (normalizedIps.size >= MAX_NORMALIZED_IPS) normalizedIps.clear();
  normalizedIps.add(ip);
  return true;
}

const inRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && value >= min && value <= max;

/**
 * A quick check that an event an importer built is one `POST /v1/events` validation would store
 * exactly as it is: a sufficient condition, never a looser one. Anything it is unsure of (an extra
 * key, an IP not in normalised form, any refused value) answers false, and the caller asks the full
 * validation (zod), which decides. Parsers emit valid events, so the full validation runs for
 * anomalies only; on 1M lines it was a fifth of the import's CPU (bench/import.bench.ts).
 *
 * @example
 * if (!surelyValid(event)) checked = validateBatch({ ...batch, events: [event] });
 */
export function surelyValid(event: WatchpostEvent): boolean {
  if (typeof event !== 'object' || event === null || Object.getPrototypeOf(event) !== Object.prototype) return false;
  for (const key of Object.keys(event)) if (!KEYS.has(key)) return false;
  const { ts, ip, country, method, host, path, status, latencyMs, ua, action, rule, botCategory, sampleRate } = event;
  if (!Number.isSafeInteger(ts) || ts < MIN_EVENT_TS || ts > MAX_EVENT_TS) return false;
  if (!isNormalizedIp(ip)) return false;
  if (country !== null && (typeof country !== 'string' || !COUNTRY.test(country))) return false;
  if (!text(method, 16) || method.length === 0 || !text(host, 255) || !text(path, MAX_PATH_LENGTH)) return false;
  if (!Number.isSafeInteger(status) || status < 0 || status > 999) return false;
  if (!Number.isFinite(latencyMs) || !inRange(latencyMs, 0, MAX_LATENCY_MS)) return false;
  if (!text(ua, MAX_UA_LENGTH) || typeof action !== 'string' || !ACTIONS.has(action)) return false;
  if (rule !== null && !text(rule, 128)) return false;
  if (botCategory !== null && (typeof botCategory !== 'string' || !BOT_CATEGORIES.has(botCategory))) return false;
  if (!inRange(sampleRate, MIN_SAMPLE_RATE, 1)) return false;
  const { asn, login, botName } = event;
  if (asn !== undefined && asn !== null && !(Number.isSafeInteger(asn) && asn >= 0)) return false;
  if (botName !== undefined && botName !== null && (!text(botName, MAX_BOT_NAME_LENGTH) || botName === ''))
    return false;
  if (login === undefined || login === null) return true;
  if (typeof login !== 'object' || Object.getPrototypeOf(login) !== Object.prototype) return false;
  const loginKeys = Object.keys(login);
  if (loginKeys.length !== 2 || !loginKeys.includes('outcome') || !loginKeys.includes('account')) return false;
  if (login.outcome !== 'success' && login.outcome !== 'failed') return false;
  return login.account === null || (typeof login.account === 'string' && ACCOUNT.test(login.account));
}
