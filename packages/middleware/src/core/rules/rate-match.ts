import { botCategorySchema, type BotCategory } from '../../protocol/index.js';
import type { RequestFacts } from '../engine-options.js';

/** Which requests a rate rule counts; every given list must match, and an absent one matches all. */
export interface RateMatch {
  /** HTTP methods, any case. */
  methods?: readonly string[];
  /** A string is a path prefix; a RegExp is tested against the path (query string excluded). */
  paths?: readonly (string | RegExp)[];
  /** User-agent categories; `browser` is a request with no bot category. */
  botCategories?: readonly (BotCategory | 'browser')[];
}

const METHOD = /^[A-Za-z]{1,16}$/;
const CATEGORIES: ReadonlySet<string> = new Set([...botCategorySchema.options, 'browser']);
const MAX_LIST = 256;

function list(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST) {
    throw new TypeError(`${where} must be a non-empty array of at most ${MAX_LIST} items`);
  }
  return value as readonly unknown[];
}

/**
 * Compiles a rule's `match` into one predicate; a bad field throws a TypeError naming it.
 * RegExps are copied without the `g` and `y` flags, so `test` keeps no state between requests.
 *
 * @example
 * const matches = compileRateMatch({ methods: ['POST'], paths: ['/api/'] }, 'match');
 * matches({ method: 'post', path: '/api/cart', ... }, null); // true
 */
export function compileRateMatch(
  match: RateMatch | undefined,
  where: string,
): (req: RequestFacts, botCategory: BotCategory | null) => boolean {
  if (match === undefined) return () => true;
  if (match === null || typeof match !== 'object') throw new TypeError(`${where} must be an object`);
  let methods: ReadonlySet<string> | null = null;
  let prefixes: readonly string[] = [];
  let patterns: readonly RegExp[] = [];
  let categories: ReadonlySet<BotCategory | null> | null = null;
  if (match.methods !== undefined) {
    const given = list(match.methods, `${where}.methods`);
    for (const method of given) {
      if (typeof method !== 'string' || !METHOD.test(method)) {
        throw new TypeError(`${where}.methods: ${JSON.stringify(method)} is not an HTTP method`);
      }
    }
    methods = new Set((given as string[]).map((method) => method.toUpperCase()));
  }
  if (match.paths !== undefined) {
    const given = list(match.paths, `${where}.paths`);
    const strings: string[] = [];
    const regexps: RegExp[] = [];
    for (const path of given) {
      if (typeof path === 'string' && path.startsWith('/') && path.length <= 2048) strings.push(path);
      else if (path instanceof RegExp) regexps.push(new RegExp(path.source, path.flags.replace(/[gy]/g, '')));
      else throw new TypeError(`${where}.paths: ${JSON.stringify(path)} is neither a '/'-prefix nor a RegExp`);
    }
    prefixes = strings;
    patterns = regexps;
  }
  if (match.botCategories !== undefined) {
    const given = list(match.botCategories, `${where}.botCategories`);
    for (const category of given) {
      if (typeof category !== 'string' || !CATEGORIES.has(category)) {
        throw new TypeError(`${where}.botCategories: ${JSON.stringify(category)} is not a bot category or 'browser'`);
      }
    }
    categories = new Set(given.map((category) => (category === 'browser' ? null : (category as BotCategory))));
  }
  const anyPath = prefixes.length === 0 && patterns.length === 0;
  return function matches(req, botCategory) {
    if (categories !== null && !categories.has(botCategory)) return false;
    if (methods !== null && !methods.has(req.method) && !methods.has(String(req.method).toUpperCase())) return false;
    if (anyPath) return true;
    const raw = typeof req.path === 'string' ? req.path : '';
    const query = raw.indexOf('?');
    const path = query === -1 ? raw : raw.slice(0, query);
    for (const prefix of prefixes) if (path.startsWith(prefix)) return true;
    for (const pattern of patterns) if (pattern.test(path)) return true;
    return false;
  };
}
