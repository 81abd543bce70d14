import type { BotCategory } from '../../protocol/index.js';
import type { RequestFacts } from '../engine-options.js';
import type { ParsedIp } from '../ip/parse.js';
import { maskWords } from '../ip/cidr.js';
import { botCategorySchema } from '../../protocol/index.js';
import {
  compileRateMatcher,
  mayStartWith,
  methodInList,
  pathOf,
  type CompiledRateMatch,
  type RateMatch,
} from './rate-match.js';
import type { SharedRateRule } from './rate-sharing.js';
import { Generations } from '../generations.js';
import { AddressCounters, randomSeed } from './address-counters.js';
import { RateWindow } from './rate-window.js';

/**
 * A rate rule: at most `limit` requests per sliding `windowMs` per client key. Counting uses the
 * two-bucket sliding estimate of `RateWindow` (the current fixed window plus the previous one
 * weighted by its overlap): exact when requests are spread evenly over the previous window, and
 * off by at most the previous window's count times the share of it still overlapping otherwise.
 */
export interface RateRule {
  /** `/^[a-z0-9][a-z0-9-]{0,47}$/`, unique; decisions carry `rate:<name>`. */
  name: string;
  /** Requests allowed per window, an integer >= 1. */
  limit: number;
  /** Sliding window, 10 000..600 000 ms. */
  windowMs: number;
  /** What a client is: `ip` (IPv6 per `ipv6Prefix`, default), `ip+path`, or your function (null: not counted). */
  key?: 'ip' | 'ip+path' | ((req: RequestFacts) => string | null);
  /** Which requests count; all when absent. String paths are prefixes. `browser` = no bot category. */
  match?: RateMatch;
  /** `block` (default) refuses past the limit; `count` only records. Global `mode: 'count'` wins. */
  action?: 'block' | 'count';
  /** 429 (default, with Retry-After) or 403. */
  status?: 403 | 429;
  /** Once past the limit the client is refused this long. Default `windowMs`. */
  banMs?: number;
  /** Most client keys held by this rule (counters, and bans); the stalest are evicted. Default 100 000. */
  maxClients?: number;
}

/** A refusal (or a count-mode hit) by a rate rule. */
export interface RateHit {
  readonly rule: string;
  readonly action: 'block' | 'count';
  readonly status: 403 | 429;
  readonly retryAfterS: number;
}

/** The compiled rate rules of one engine. */
export interface RateRules {
  /**
   * Counts the request against every matching rule; the first rule that refuses it wins. `now` is
   * the time, or the clock: then it is read only when a rule matches the request.
   */
  check(req: RequestFacts, ip: ParsedIp, botCategory: BotCategory | null, now: number | (() => number)): RateHit | null;
  stats(): { countersHeld: number; evictions: number; bansActive: number };
  /** Shares counts with other instances: called for each counted hit. */
  onHit: ((rule: string, key: string, now: number) => void) | null;
  /** The rules as a shared counter store needs them. */
  readonly shared: readonly SharedRateRule[];
  /** Bans `key` under `rule` until `until` (a ban decided by another instance). */
  impose(rule: string, key: string, until: number): boolean;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;
const MAX_KEY_LENGTH = 256;
const MAX_BAN_MS = 7 * 86_400_000;
const BY_IP = 0;
const BY_IP_PATH = 1;
const BY_FUNCTION = 2;

interface CompiledRule {
  readonly name: string;
  readonly ruleName: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly key: 'ip' | 'ip+path' | ((req: RequestFacts) => string | null);
  /** `key` as a number, compared without a string comparison per request. */
  readonly keyKind: typeof BY_IP | typeof BY_IP_PATH | typeof BY_FUNCTION;
  readonly match: CompiledRateMatch;
  /** `match.methods` as a list: a few identity comparisons cost less than a Set lookup. */
  readonly methods: readonly string[] | null;
  readonly action: 'block' | 'count';
  readonly status: 403 | 429;
  readonly banMs: number;
  readonly maxClients: number;
  /** Counters of custom keys; null for `ip` and `ip+path`. */
  readonly counter: RateWindow | null;
  /** Counters of `ip` and `ip+path` keys, by the address's words (and the path's hash); null for custom keys. */
  readonly addresses: AddressCounters | null;
  readonly bans: Generations<number>;
  /** False until a ban is set, and again once the bans are seen empty: most requests skip `bans`. */
  banned: boolean;
}

function integerIn(value: unknown, min: number, max: number, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${where} must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function compileRule(rule: RateRule, where: string, dryRun: boolean): CompiledRule {
  if (rule === null || typeof rule !== 'object') throw new TypeError(`${where} must be an object`);
  const { name, limit, windowMs, key = 'ip', match, action = 'block', status = 429, banMs, maxClients } = rule;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(`${where}.name must match ${String(NAME)}, got ${JSON.stringify(name)}`);
  }
  integerIn(limit, 1, 1e9, `${where}.limit`);
  integerIn(windowMs, 10_000, 600_000, `${where}.windowMs`);
  if (key !== 'ip' && key !== 'ip+path' && typeof key !== 'function') {
    throw new TypeError(`${where}.key must be 'ip', 'ip+path' or a function, got ${JSON.stringify(key)}`);
  }
  if (action !== 'block' && action !== 'count') {
    throw new TypeError(`${where}.action must be 'block' or 'count', got ${JSON.stringify(action)}`);
  }
  if (status !== 403 && status !== 429)
    throw new TypeError(`${where}.status must be 403 or 429, got ${JSON.stringify(status)}`);
  const ban = banMs === undefined ? windowMs : integerIn(banMs, 1_000, MAX_BAN_MS, `${where}.banMs`);
  const max = maxClients === undefined ? 100_000 : integerIn(maxClients, 1, 10_000_000, `${where}.maxClients`);
  const compiled = compileRateMatcher(match, `${where}.match`);
  return {
    name,
    ruleName: `rate:${name}`,
    limit,
    windowMs,
    key,
    keyKind: key === 'ip' ? BY_IP : key === 'ip+path' ? BY_IP_PATH : BY_FUNCTION,
    match: compiled,
    methods: compiled.methods === null ? null : [...compiled.methods],
    action: dryRun ? 'count' : action,
    status,
    banMs: ban,
    maxClients: max,
    counter: typeof key === 'function' ? new RateWindow(windowMs, max) : null,
    addresses: typeof key === 'function' ? null : new AddressCounters(windowMs, max),
    bans: new Generations<number>(Math.max(2, max)),
    banned: false,
  };
}

/** `text.startsWith(prefix)`, told without a call when the prefix's last character differs. */
function startsWith(text: string, prefix: string): boolean {
  const last = prefix.length - 1;
  if (last < 0) return true;
  return text.length > last && text.charCodeAt(last) === prefix.charCodeAt(last) && text.startsWith(prefix);
}

/** The path as an `ip+path` key holds it: at most MAX_KEY_LENGTH characters. */
function cut(path: string): string {
  return path.length > MAX_KEY_LENGTH ? path.slice(0, MAX_KEY_LENGTH) : path;
}

/**
 * Seeded hashes of the path up to its query, cut to MAX_KEY_LENGTH characters, as an `ip+path`
 * key holds it: two 32-bit halves, the first returned, the second left in `pathHash1`. They stand
 * for the path in the counters; paths that collide in both share a counter, which only counts one
 * client's requests to both together.
 */
let pathHash1 = 0;
function hashPath(raw: string, seed: number): number {
  const end = raw.length < MAX_KEY_LENGTH ? raw.length : MAX_KEY_LENGTH;
  let h0 = seed;
  let h1 = ~seed;
  for (let i = 0; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c === 63) break; // '?'
    h0 = Math.imul(h0 ^ c, 0x9e3779b1);
    h1 = Math.imul(h1 + c, 0x85ebca6b);
  }
  pathHash1 = h1 ^ (h1 >>> 15);
  return h0 ^ (h0 >>> 16);
}

function banUntil(rule: CompiledRule, key: string, until: number): void {
  rule.bans.set(key, until);
  rule.banned = true;
}

/**
 * Validates and compiles `rateRules`; a bad option throws a TypeError naming it. Returns null for none.
 *
 * @example
 * const rules = [{ name: 'per-ip', limit: 300, windowMs: 60_000 }];
 * const rates = compileRateRules(rules, { mode: 'block', onError, clientKey });
 * rates?.check(req, parseIp(req.ip)!, null, Date.now()); // null until the 301st request in a minute
 */
export function compileRateRules(
  rules: readonly RateRule[] | undefined,
  {
    mode,
    onError,
    clientKey,
    ipv6Prefix = 64,
  }: {
    mode: 'block' | 'count';
    onError: (error: unknown) => void;
    /** The client's counting key (IPv6 per prefix), computed only when a rule needs it. */
    clientKey: (req: RequestFacts, ip: ParsedIp) => string;
    /** IPv6 clients in one block of this size are one client (0..128), as in `clientKey`. Default 64. */
    ipv6Prefix?: number;
  },
): RateRules | null {
  if (rules === undefined) return null;
  if (!Array.isArray(rules)) throw new TypeError('options.rateRules must be an array of rate rules');
  if (rules.length > 64) throw new TypeError(`options.rateRules holds at most 64 rules, got ${rules.length}`);
  const compiled = rules.map((rule: RateRule, i) => compileRule(rule, `options.rateRules[${i}]`, mode === 'count'));
  const names = new Set<string>();
  for (const [i, rule] of compiled.entries()) {
    if (names.has(rule.name)) throw new TypeError(`options.rateRules[${i}].name ${rule.name} is not unique`);
    names.add(rule.name);
  }
  if (compiled.length === 0) return null;
  // The masks that keep an IPv6 address's first `ipv6Prefix` bits (the engine checked the prefix).
  const masks = Int32Array.from(maskWords([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], ipv6Prefix));
  // ip+path counters are keyed by the address and two seeded hashes of the path (see `hashPath`).
  const pathSeed = randomSeed();
  const byName = new Map(compiled.map((rule) => [rule.ruleName, rule]));

  // Rules sorted once by the bot category they count (null: browsers), and again for GETs (most
  // requests) without the rules whose methods leave GET out: a rule for crawlers or for POSTs costs
  // a browser's GET nothing. Categories come from the classifier, a closed set; others are sorted on first sight.
  const byCategory = new Map<BotCategory | null, readonly CompiledRule[]>();
  const getsByCategory = new Map<BotCategory | null, readonly CompiledRule[]>();
  const rulesFor = (category: BotCategory | null, get: boolean): readonly CompiledRule[] => {
    const sorted = get ? getsByCategory : byCategory;
    let rules = sorted.get(category);
    if (rules === undefined) {
      rules = compiled.filter(
        (rule) =>
          (rule.match.categories === null || rule.match.categories.has(category)) &&
          (!get || rule.methods === null || rule.methods.includes('GET')),
      );
      if (sorted.size < 256) sorted.set(category, rules);
    }
    return rules;
  };
  for (const category of [null, ...botCategorySchema.options]) {
    rulesFor(category, false);
    rulesFor(category, true);
  }
  // Most requests are browsers' GETs: their rules without a Map lookup.
  const browserRules = rulesFor(null, false);
  const browserGets = rulesFor(null, true);

  function customKey(key: (req: RequestFacts) => string | null, req: RequestFacts): string | null {
    try {
      const value = key(req);
      return typeof value === 'string' && value !== '' ? value.slice(0, MAX_KEY_LENGTH) : null;
    } catch (error) {
      onError(error);
      return null;
    }
  }

  const rates: RateRules = {
    onHit: null,
    shared: compiled.map(({ ruleName, limit, windowMs, banMs }) => ({ rule: ruleName, limit, windowMs, banMs })),
    check(req, ip, botCategory, clock) {
      let now = typeof clock === 'number' ? clock : Number.NaN;
      // A GET's rules all count GETs: its method needs no check.
      const get = req.method === 'GET';
      const rules = botCategory === null ? (get ? browserGets : browserRules) : rulesFor(botCategory, get);
      if (rules.length === 0) return null;
      const raw = typeof req.path === 'string' ? req.path : '';
      // The path's second character (-1: none), read when a rule with paths needs it (-2: not yet).
      let second = -2;
      const onHit = rates.onHit;
      // Computed at most once per request, and only when a matching rule needs them.
      let family = 0; // the address's counting words: 0 until read
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let p0 = 0; // the path's two hashes, for ip+path counters
      let p1 = 0;
      let hashed = false;
      let client: string | null = null;
      let bare: string | null = null; // the path without its query
      let path: string | null = null; // the same, cut to MAX_KEY_LENGTH
      let clientPath: string | null = null;
      let counted: RateHit | null = null;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (!get && rule.methods !== null && !methodInList(rule.methods, req.method)) continue;
        if (!rule.match.anyPath) {
          const { seconds } = rule.match;
          if (second === -2) second = raw.length > 1 ? raw.charCodeAt(1) : -1;
          if (seconds !== null && !mayStartWith(seconds, second)) continue;
          let found = false;
          for (const prefix of rule.match.prefixes) if ((found = startsWith(raw, prefix))) break;
          const { patterns, patternStarts } = rule.match;
          for (let p = 0; !found && p < patterns.length; p++) {
            if (startsWith(raw, patternStarts[p]!)) found = patterns[p]!.test((bare ??= pathOf(raw)));
          }
          if (!found) continue;
        }
        if (now !== now) now = (clock as () => number)();
        const { counter, addresses, bans } = rule;
        // String keys (bans, sharing) are built only when something needs them: counting does not.
        let key: string | null = null;
        if (addresses !== null) {
          if (family === 0) {
            const words = ip.words;
            family = ip.family;
            a0 = family === 4 ? words[0]! | 0 : words[0]! & masks[0]!;
            if (family === 6) {
              a1 = words[1]! & masks[1]!;
              a2 = words[2]! & masks[2]!;
              a3 = words[3]! & masks[3]!;
            }
          }
          const byPath = rule.keyKind === BY_IP_PATH;
          if (byPath && !hashed) {
            p0 = hashPath(raw, pathSeed);
            p1 = pathHash1;
            hashed = true;
          }
          if (rule.banned || onHit) {
            key = client ??= clientKey(req, ip);
            if (byPath) key = clientPath ??= `${client} ${(path ??= cut((bare ??= pathOf(raw))))}`;
          }
        } else {
          key = customKey(rule.key as (req: RequestFacts) => string | null, req);
          if (key === null) continue;
        }
        let until = key === null || !rule.banned ? undefined : bans.get(key);
        if (until !== undefined && key !== null && until <= now) {
          bans.delete(key);
          rule.banned = bans.size !== 0;
          until = undefined;
        }
        if (until === undefined) {
          const byPath = rule.keyKind === BY_IP_PATH;
          let count: number;
          if (addresses !== null) count = addresses.hit(family, a0, a1, a2, a3, byPath ? p0 : 0, byPath ? p1 : 0, now);
          else if (counter !== null && key !== null) count = counter.hit(key, now);
          else continue;
          if (onHit && key !== null) onHit(rule.ruleName, key, now);
          if (count <= rule.limit) continue;
          until = now + rule.banMs;
          if (addresses !== null) {
            addresses.reset(family, a0, a1, a2, a3, byPath ? p0 : 0, byPath ? p1 : 0);
            key = client ??= clientKey(req, ip);
            if (byPath) key = clientPath ??= `${client} ${(path ??= cut((bare ??= pathOf(raw))))}`;
          } else if (counter !== null && key !== null) counter.reset(key);
          if (key !== null) banUntil(rule, key, until);
        }
        const retryAfterS = Math.max(1, Math.ceil((until - now) / 1000));
        const hit: RateHit = { rule: rule.ruleName, action: rule.action, status: rule.status, retryAfterS };
        if (rule.action === 'block') return hit;
        counted ??= hit;
      }
      return counted;
    },
    stats() {
      let countersHeld = 0;
      let evictions = 0;
      let bansActive = 0;
      for (const rule of compiled) {
        const counter = rule.counter ?? rule.addresses;
        countersHeld += counter?.size ?? 0;
        evictions += (counter?.evictions ?? 0) + rule.bans.evicted;
        bansActive += rule.bans.size;
      }
      return { countersHeld, evictions, bansActive };
    },
    impose(ruleName, key, until) {
      const rule = byName.get(ruleName);
      if (rule === undefined || typeof key !== 'string' || !(until > 0)) return false;
      const current = rule.bans.get(key);
      if (current !== undefined && current >= until) return false;
      banUntil(rule, key, until);
      return true;
    },
  };
  return rates;
}
