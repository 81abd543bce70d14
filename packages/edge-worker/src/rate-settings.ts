/**
 * Rate rules (`RATE_RULES`) and declared login endpoints (`LOGINS`), read from JSON vars and validated
 * against the engine's contract. Only JSON can travel in a var, so path patterns are
 * prefixes and a login's failure test is a list of statuses; the worker turns both into engine options.
 */
import { botCategorySchema, type BotCategory, type LoginOptions, type RateRule } from '@watchpost/middleware';

/** One rate rule as the engine takes it (`rateRules`), restricted to what JSON can say. */
export interface EdgeRateRule {
  name: string;
  limit: number;
  windowMs: number;
  key: 'ip' | 'ip+path';
  match?: { methods?: string[]; paths?: string[]; botCategories?: string[] };
  action: 'block' | 'count';
  status: 403 | 429;
  banMs: number;
}

/** One login detection's threshold, or `false` to turn it off. Absent fields take the engine's defaults. */
export type EdgeLoginDetection = { limit: number; windowMs: number; mode?: 'block' | 'count'; banMs?: number } | false;

/** One declared login endpoint; `accountField` names the body field holding the account, if read. */
export interface EdgeLoginEndpoint {
  method: string;
  path: string;
  failedStatuses: number[];
  accountField?: string;
}

/** Declared login endpoints and detection thresholds. Accounts are read only where `accountField` says. */
export interface EdgeLogins {
  endpoints: EdgeLoginEndpoint[];
  bruteForce?: EdgeLoginDetection;
  stuffing?: EdgeLoginDetection;
  spraying?: EdgeLoginDetection;
  compromised?: EdgeLoginDetection;
}

const MAX_JSON_CHARS = 16_384;
const MAX_RULES = 32;
const MAX_LIST = 64;
// Client keys one rule holds in an isolate (128 MB of memory), the stalest evicted first.
const MAX_CLIENTS_PER_RULE = 50_000;
const NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;
const METHOD = /^[A-Z]{1,16}$/;
// A path prefix: starts with '/', printable ASCII only (no control bytes, no spaces), at most 256 chars.
const PATH = /^\/[\x21-\x7e]{0,255}$/;
// A top-level form or JSON field name.
const FIELD = /^[A-Za-z0-9_.:-]{1,64}$/;
const BOT_CATEGORIES = new Set<string>([...botCategorySchema.options, 'browser']);
const DETECTIONS = ['bruteForce', 'stuffing', 'spraying', 'compromised'] as const;

type Json = Record<string, unknown>;

function fail(where: string, what: string, got: unknown): never {
  const shown = JSON.stringify(got) ?? String(got);
  throw new TypeError(`${where} ${what}, got ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`);
}

function parseJson(name: string, text: string): unknown {
  if (text.length > MAX_JSON_CHARS) throw new TypeError(`${name} must be at most ${MAX_JSON_CHARS} characters of JSON`);
  try {
    return JSON.parse(text);
  } catch {
    return fail(name, 'must be valid JSON', text);
  }
}

function object(where: string, value: unknown, allowed: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be an object', value);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(where, `has an unknown field (allowed: ${allowed.join(', ')})`, key);
  }
  return value as Json;
}

function integer(where: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(where, `must be an integer between ${min} and ${max}`, value);
  }
  return value;
}

function oneOf<T extends string | number>(where: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) fail(where, `must be one of ${choices.join(', ')}`, value);
  return value as T;
}

function list(where: string, value: unknown, pattern: RegExp | Set<string>): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST) {
    fail(where, `must be a non-empty array of at most ${MAX_LIST} strings`, value);
  }
  return value.map((item, i) => {
    const ok = typeof item === 'string' && (pattern instanceof Set ? pattern.has(item) : pattern.test(item));
    if (!ok)
      fail(`${where}[${i}]`, pattern instanceof Set ? `must be one of ${[...pattern].join(', ')}` : 'is invalid', item);
    return item as string;
  });
}

function parseRule(where: string, value: unknown): EdgeRateRule {
  const raw = object(where, value, ['name', 'limit', 'windowMs', 'key', 'match', 'action', 'status', 'banMs']);
  if (typeof raw.name !== 'string' || !NAME.test(raw.name)) {
    fail(`${where}.name`, 'must match /^[a-z0-9][a-z0-9-]{0,47}$/', raw.name);
  }
  const windowMs = integer(`${where}.windowMs`, raw.windowMs, 10_000, 600_000);
  const rule: EdgeRateRule = {
    name: raw.name,
    limit: integer(`${where}.limit`, raw.limit, 1, 1_000_000),
    windowMs,
    key: raw.key === undefined ? 'ip' : oneOf(`${where}.key`, raw.key, ['ip', 'ip+path'] as const),
    action: raw.action === undefined ? 'block' : oneOf(`${where}.action`, raw.action, ['block', 'count'] as const),
    status: raw.status === undefined ? 429 : oneOf(`${where}.status`, raw.status, [403, 429] as const),
    // The engine's own bound: a longer ban would fail the engine's validation on the first request.
    banMs: raw.banMs === undefined ? windowMs : integer(`${where}.banMs`, raw.banMs, 1_000, 7 * 86_400_000),
  };
  if (raw.match !== undefined) {
    const match = object(`${where}.match`, raw.match, ['methods', 'paths', 'botCategories']);
    rule.match = {};
    if (match.methods !== undefined) rule.match.methods = list(`${where}.match.methods`, match.methods, METHOD);
    if (match.paths !== undefined) rule.match.paths = list(`${where}.match.paths`, match.paths, PATH);
    if (match.botCategories !== undefined) {
      rule.match.botCategories = list(`${where}.match.botCategories`, match.botCategories, BOT_CATEGORIES);
    }
  }
  return rule;
}

/**
 * Parses `RATE_RULES`: a JSON array of rules. Empty or absent: no rate rules.
 *
 * @example
 * parseRateRules('[{"name":"per-ip","limit":300,"windowMs":60000}]')[0].status; // 429
 */
export function parseRateRules(text: string | undefined): EdgeRateRule[] {
  if (text === undefined || text.trim() === '') return [];
  const value = parseJson('RATE_RULES', text);
  if (!Array.isArray(value) || value.length > MAX_RULES)
    fail('RATE_RULES', `must be an array of at most ${MAX_RULES} rules`, value);
  const rules = value.map((item, i) => parseRule(`RATE_RULES[${i}]`, item));
  const seen = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    if (seen.has(rule.name)) fail(`RATE_RULES[${i}].name`, 'must be unique', rule.name);
    seen.add(rule.name);
  }
  return rules;
}

function parseDetection(where: string, value: unknown): EdgeLoginDetection {
  if (value === false) return false;
  const raw = object(where, value, ['limit', 'windowMs', 'mode', 'banMs']);
  const detection: EdgeLoginDetection = {
    limit: integer(`${where}.limit`, raw.limit, 1, 100_000),
    windowMs: integer(`${where}.windowMs`, raw.windowMs, 10_000, 86_400_000),
  };
  if (raw.mode !== undefined) detection.mode = oneOf(`${where}.mode`, raw.mode, ['block', 'count'] as const);
  if (raw.banMs !== undefined) detection.banMs = integer(`${where}.banMs`, raw.banMs, 1_000, 7 * 86_400_000);
  return detection;
}

/**
 * Parses `LOGINS`: `{ "endpoints": [{ "method": "POST", "path": "/login", "failedStatuses": [401, 403] }], ... }`.
 * Absent or empty: no login monitoring. `failedStatuses` defaults to [401, 403]; any other status < 500
 * counts as a success.
 *
 * @example
 * parseLogins('{"endpoints":[{"method":"POST","path":"/login"}]}')?.endpoints[0].failedStatuses; // [401, 403]
 */
export function parseLogins(text: string | undefined): EdgeLogins | null {
  if (text === undefined || text.trim() === '') return null;
  const raw = object('LOGINS', parseJson('LOGINS', text), ['endpoints', ...DETECTIONS]);
  if (!Array.isArray(raw.endpoints) || raw.endpoints.length === 0 || raw.endpoints.length > MAX_LIST) {
    fail('LOGINS.endpoints', `must be a non-empty array of at most ${MAX_LIST} endpoints`, raw.endpoints);
  }
  const endpoints = raw.endpoints.map((item: unknown, i: number) => {
    const where = `LOGINS.endpoints[${i}]`;
    const endpoint = object(where, item, ['method', 'path', 'failedStatuses', 'accountField']);
    if (typeof endpoint.method !== 'string' || !METHOD.test(endpoint.method)) {
      fail(`${where}.method`, 'must be an upper-case HTTP method', endpoint.method);
    }
    if (typeof endpoint.path !== 'string' || !PATH.test(endpoint.path)) {
      fail(`${where}.path`, 'must be a path starting with / (printable ASCII, at most 256 chars)', endpoint.path);
    }
    let failedStatuses = [401, 403];
    if (endpoint.failedStatuses !== undefined) {
      const statuses = endpoint.failedStatuses;
      if (!Array.isArray(statuses) || statuses.length === 0 || statuses.length > MAX_LIST) {
        fail(`${where}.failedStatuses`, 'must be a non-empty array of statuses', statuses);
      }
      failedStatuses = statuses.map((s: unknown, j: number) => integer(`${where}.failedStatuses[${j}]`, s, 400, 499));
    }
    const parsed: EdgeLoginEndpoint = { method: endpoint.method, path: endpoint.path, failedStatuses };
    if (endpoint.accountField !== undefined) {
      if (typeof endpoint.accountField !== 'string' || !FIELD.test(endpoint.accountField)) {
        fail(
          `${where}.accountField`,
          'must be a field name (letters, digits, _ . : -, at most 64)',
          endpoint.accountField,
        );
      }
      parsed.accountField = endpoint.accountField;
    }
    return parsed;
  });
  const logins: EdgeLogins = { endpoints };
  for (const name of DETECTIONS) {
    if (raw[name] !== undefined) logins[name] = parseDetection(`LOGINS.${name}`, raw[name]);
  }
  return logins;
}

/**
 * The engine's `logins` option from the parsed var: a failure is a status in `failedStatuses`.
 * `accountKey` (the `LOGIN_ACCOUNT_KEY` secret) hashes the accounts read from `accountField`.
 *
 * @example
 * createEngine({ logins: toEngineLogins(parseLogins(env.LOGINS)!, env.LOGIN_ACCOUNT_KEY) });
 */
export function toEngineLogins(logins: EdgeLogins, accountKey?: string | null): LoginOptions {
  const { endpoints, ...detections } = logins;
  return {
    ...detections,
    ...(accountKey ? { accountKey } : {}),
    endpoints: endpoints.map(({ method, path, failedStatuses }) => ({
      method,
      path,
      failed: (status: number) => failedStatuses.includes(status),
    })),
  };
}

/**
 * The engine's `rateRules` option from the parsed var. With `countElsewhere` (exact mode: the Durable
 * Object counts) each rule keeps its match, key, action and status but no limit of its own (1e9, the
 * engine's largest), so the isolate's engine matches, keys and holds the bans the object decides.
 *
 * @example
 * createEngine({ rateRules: toEngineRateRules(parseRateRules(env.RATE_RULES)) });
 */
export function toEngineRateRules(rules: readonly EdgeRateRule[], { countElsewhere = false } = {}): RateRule[] {
  return rules.map(({ match, limit, ...rule }) => {
    const engineRule: RateRule = { ...rule, limit: countElsewhere ? 1e9 : limit, maxClients: MAX_CLIENTS_PER_RULE };
    if (match) {
      const { botCategories, ...rest } = match;
      // botCategories were checked against the same category list by parseRateRules.
      engineRule.match = botCategories
        ? { ...rest, botCategories: botCategories as (BotCategory | 'browser')[] }
        : rest;
    }
    return engineRule;
  });
}
