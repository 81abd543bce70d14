import {
  MAX_EVENT_TS,
  MAX_BOT_NAME_LENGTH,
  MAX_LATENCY_MS,
  MAX_PATH_LENGTH,
  MAX_UA_LENGTH,
  MIN_EVENT_TS,
  MIN_SAMPLE_RATE,
  type LoginFact,
  type WatchpostEvent,
} from '../../protocol/index.js';
import type { Decision, RequestFacts } from '../engine-options.js';
import { normalizeCountry } from '../geo/country.js';
import { formatIp, parseIp } from '../ip/parse.js';
import { clampNumber, sanitizeMethod, sanitizeText } from './sanitize.js';

const MAX_HOST_LENGTH = 255;
const MAX_RULE_LENGTH = 128;
/** The address written when the adapter's one is not an IP literal (never seen from a socket). */
const UNKNOWN_IP = '0.0.0.0';

/**
 * Shapes one request into the wire format. This is the one place where events are built (the
 * Express and Hono adapters and the edge worker all go through the engine), so it is where
 * whatever a client sent is made valid against `eventSchema`: text fields through
 * `sanitizeText` (controls and lone surrogates as U+FFFD, cut to the schema's lengths on
 * code-point boundaries), the method through `sanitizeMethod`, the IP normalised, and the
 * numbers clamped (`ts` into 2000..the largest Date, latency into 0..1 day, status 0..999,
 * sampleRate into 1e-6..1). `login`, when given, is copied with its account kept only if it is
 * already a 32-hex-char HMAC (so a clear account can never leave through an event). `botName`, when
 * given, is sanitised like the other text.
 *
 * @example
 * toEvent({ ip: '::ffff:192.0.2.1', method: 'GET', host: 'shop.example', path: '/?q=1', ua: 'curl\x85' },
 *   { action: 'allow', rule: null, botCategory: null }, 200, 1.5, 1, Date.now());
 * // { ip: '192.0.2.1', path: '/', ua: 'curl\uFFFD', ... }
 */
export function toEvent(
  req: RequestFacts,
  decision: Decision,
  status: number,
  latencyMs: number,
  rate: number,
  at: number,
  login?: LoginFact | null,
  botName?: string | null,
): WatchpostEvent {
  const rawPath = typeof req.path === 'string' ? req.path : '';
  const query = rawPath.indexOf('?');
  const path = query === -1 ? rawPath : rawPath.slice(0, query);
  const latency = clampNumber(latencyMs, 0, MAX_LATENCY_MS, 0);
  const event: WatchpostEvent = {
    ts: Math.round(clampNumber(at - latency, MIN_EVENT_TS, MAX_EVENT_TS, MIN_EVENT_TS)),
    // Adapters always know the socket address; '0.0.0.0' marks the rare case they did not.
    ip: ipOf(req),
    country: normalizeCountry(req.country),
    method: sanitizeMethod(typeof req.method === 'string' && req.method !== '' ? req.method : 'GET'),
    host: sanitizeText(typeof req.host === 'string' ? req.host : '', MAX_HOST_LENGTH),
    path: sanitizeText(path, MAX_PATH_LENGTH),
    status: Number.isInteger(status) && status >= 0 && status <= 999 ? status : 0,
    latencyMs: Math.round(latency * 1000) / 1000,
    ua: sanitizeText(typeof req.ua === 'string' ? req.ua : '', MAX_UA_LENGTH),
    action: decision.action,
    rule: decision.rule === null ? null : sanitizeText(decision.rule, MAX_RULE_LENGTH),
    botCategory: decision.botCategory,
    sampleRate: clampNumber(rate, MIN_SAMPLE_RATE, 1, 1),
  };
  if (req.asn !== undefined) event.asn = Number.isSafeInteger(req.asn) && req.asn! >= 0 ? req.asn : null;
  if (login != null) event.login = loginOf(login);
  // Named by its user agent: generic names are what a pattern matched there, so any text.
  if (typeof botName === 'string' && botName !== '') event.botName = sanitizeText(botName, MAX_BOT_NAME_LENGTH);
  return event;
}

const ACCOUNT_HASH = /^[0-9a-f]{32}$/;

/** Copies a login fact, keeping the account only when it is already a 32-hex-char hash (never clear text). */
function loginOf(login: LoginFact): LoginFact {
  const outcome = login.outcome === 'success' ? 'success' : 'failed';
  const account = typeof login.account === 'string' && ACCOUNT_HASH.test(login.account) ? login.account : null;
  return { outcome, account };
}

function ipOf(req: RequestFacts): string {
  // With parsedIp, the adapters' resolver already wrote `ip` as its canonical text: no second parse.
  if (req.parsedIp !== undefined) return req.parsedIp === null ? UNKNOWN_IP : req.ip;
  const parsed = typeof req.ip === 'string' ? parseIp(req.ip) : null;
  if (parsed === null) return UNKNOWN_IP;
  // Dotted IPv4 text that parses is already canonical (the parser refuses leading zeros, spaces,
  // zones and brackets around IPv4): formatting it again would only cost time.
  return parsed.family === 4 && req.ip.indexOf(':') === -1 ? req.ip : formatIp(parsed);
}
