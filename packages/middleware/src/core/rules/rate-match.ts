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

/** A rule's `match`, compiled: every list null or empty when that field was absent. */
export interface CompiledRateMatch {
  /** Upper-case methods, or null for any method. */
  readonly methods: ReadonlySet<string> | null;
  /**
   * String prefixes, to test against the path as it came (query string included): for a prefix
   * without `?` that is the same as testing the path without its query. A prefix holding `?` can
   * never match a path without its query, so it is left out here.
   */
  readonly prefixes: readonly string[];
  /** RegExps (copied without `g` and `y`), tested against the path without its query. */
  readonly patterns: readonly RegExp[];
  /**
   * For each pattern, text every path it matches starts with ('' when none is known): a path
   * without it is not tested, so most requests skip the RegExp (and cutting the query off).
   */
  readonly patternStarts: readonly string[];
  /** True when neither prefixes nor patterns were given. */
  readonly anyPath: boolean;
  /**
   * The characters a matching path can have second (after its `/`), as a bitmap of codes 0..127
   * (four 32-bit words), or null when any is possible (a prefix or a pattern's start shorter than
   * two characters). A path with another second character skips the prefixes and patterns.
   */
  readonly seconds: Uint32Array | null;
  /** Bot categories (`browser` as null), or null for any. */
  readonly categories: ReadonlySet<BotCategory | null> | null;
}

/**
 * Validates and compiles a rule's `match` into plain data, so that the engine can sort rules by
 * bot category once and test methods and paths without a call per rule. A bad field throws a
 * TypeError naming it.
 *
 * @example
 * compileRateMatcher({ methods: ['post'], paths: ['/api/'] }, 'match');
 * // { methods: Set { 'POST' }, prefixes: ['/api/'], patterns: [], anyPath: false, categories: null }
 */
export function compileRateMatcher(match: RateMatch | undefined, where: string): CompiledRateMatch {
  if (match === undefined) {
    return {
      methods: null,
      prefixes: [],
      patterns: [],
      patternStarts: [],
      anyPath: true,
      seconds: null,
      categories: null,
    };
  }
  if (match === null || typeof match !== 'object') throw new TypeError(`${where} must be an object`);
  let methods: ReadonlySet<string> | null = null;
  const prefixes: string[] = [];
  const patterns: RegExp[] = [];
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
    for (const path of given) {
      if (typeof path === 'string' && path.startsWith('/') && path.length <= 2048) {
        if (!path.includes('?')) prefixes.push(path);
      } else if (path instanceof RegExp) patterns.push(new RegExp(path.source, path.flags.replace(/[gy]/g, '')));
      else throw new TypeError(`${where}.paths: ${JSON.stringify(path)} is neither a '/'-prefix nor a RegExp`);
    }
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
  const anyPath = match.paths === undefined;
  const patternStarts = patterns.map(literalStart);
  const seconds = anyPath ? null : secondCharacters([...prefixes, ...patternStarts]);
  return { methods, prefixes, patterns, patternStarts, anyPath, seconds, categories };
}

/** The bitmap of `CompiledRateMatch.seconds` for these starts, or null when one leaves it open. */
function secondCharacters(starts: readonly string[]): Uint32Array | null {
  const bits = new Uint32Array(4);
  for (const start of starts) {
    const code = start.length < 2 ? 128 : start.charCodeAt(1);
    if (code >= 128) return null;
    bits[code >>> 5]! |= 1 << (code & 31);
  }
  return bits;
}

/**
 * Whether a path whose second character is `code` (-1: the path is shorter) can match a rule
 * with this bitmap of `CompiledRateMatch.seconds`.
 *
 * @example
 * mayStartWith(compileRateMatcher({ paths: ['/api/'] }, 'match').seconds!, 'p'.charCodeAt(0)); // false
 */
export function mayStartWith(seconds: Uint32Array, code: number): boolean {
  return code >= 0 && code < 128 && ((seconds[code >>> 5]! >>> (code & 31)) & 1) === 1;
}

/** Characters that stand for themselves after a backslash. */
const ESCAPED_LITERAL = '/.-^$*+?()[]{}|\\';
/** Characters that are not plain text unless escaped. */
const SPECIAL = '.^$*+?()[]{}|\\';

/**
 * The text every match of `pattern` starts with: the plain characters after a leading `^`, up to
 * the first special one (a character a quantifier follows is left out). '' when unsure: no `^`,
 * an alternation anywhere, or the `i` or `m` flag.
 *
 * @example
 * literalStart(/^\/v\d+\//); // '/v'
 */
export function literalStart(pattern: RegExp): string {
  const { source, flags } = pattern;
  if (!source.startsWith('^') || source.includes('|') || flags.includes('i') || flags.includes('m')) return '';
  let start = '';
  for (let i = 1; i < source.length; i++) {
    let char = source[i]!;
    let next = i + 1;
    if (char === '\\') {
      char = source[i + 1] ?? '';
      if (char === '' || !ESCAPED_LITERAL.includes(char)) break;
      next = i + 2;
    } else if (SPECIAL.includes(char)) break;
    const after = source[next];
    if (after === '?' || after === '*' || after === '{') break;
    start += char;
    if (after === '+') break;
    i = next - 1;
  }
  return start;
}

/** The path without its query string; `''` when it is not a string. */
export function pathOf(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/** The usual methods as clients send them: already upper case, no need to upper-case them per rule. */
const UPPER_CASE_METHODS: ReadonlySet<unknown> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** Whether a request's method is in `methods` (upper-case); any case matches. */
export function methodIn(methods: ReadonlySet<string>, method: unknown): boolean {
  if (methods.has(method as string)) return true;
  return !UPPER_CASE_METHODS.has(method) && methods.has(String(method).toUpperCase());
}

/**
 * Whether `method` (any case) is one of `methods` (upper case): identity comparisons first, as
 * clients send methods in upper case, which costs less than a Set lookup for a short list.
 *
 * @example
 * methodInList(['POST'], 'post'); // true
 */
export function methodInList(methods: readonly string[], method: unknown): boolean {
  for (let i = 0; i < methods.length; i++) if (methods[i] === method) return true;
  // Most requests are GETs, not in the list: told without scanning the method's letters (~8 ns).
  if (method === 'GET' || typeof method !== 'string' || upperCaseOnly(method)) return false;
  const upper = method.toUpperCase();
  for (let i = 0; i < methods.length; i++) if (methods[i] === upper) return true;
  return false;
}

/** Whether `text` is only A-Z: then upper-casing (through ICU, which costs) cannot change it. */
function upperCaseOnly(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 65 || code > 90) return false;
  }
  return true;
}

/** Whether a path (query included) matches a compiled match's prefixes or patterns. */
export function pathIn(match: CompiledRateMatch, raw: string): boolean {
  if (match.anyPath) return true;
  for (const prefix of match.prefixes) if (raw.startsWith(prefix)) return true;
  if (match.patterns.length === 0) return false;
  let path: string | null = null;
  for (let i = 0; i < match.patterns.length; i++) {
    if (!raw.startsWith(match.patternStarts[i]!)) continue;
    if (match.patterns[i]!.test((path ??= pathOf(raw)))) return true;
  }
  return false;
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
  const compiled = compileRateMatcher(match, where);
  return function matches(req, botCategory) {
    if (compiled.categories !== null && !compiled.categories.has(botCategory)) return false;
    if (compiled.methods !== null && !methodIn(compiled.methods, req.method)) return false;
    return pathIn(compiled, typeof req.path === 'string' ? req.path : '');
  };
}
