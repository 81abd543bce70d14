import { isbot, isbotMatch } from 'isbot';
import { botCategorySchema, type BotCategory } from '../../protocol/event.js';
import { LruCache } from '../lru.js';
import { escapeRegExp } from '../regexp.js';
import { KNOWN_BOTS, type KnownBot } from './table.js';

/** What a user agent says about the client. `category` and `name` are null for a browser. */
export interface UaClassification {
  readonly isBot: boolean;
  readonly category: BotCategory | null;
  /** The tool's well-known name (`Googlebot`, `sqlmap`), or what isbot matched, or null. */
  readonly name: string | null;
}

/** An extra user agent to recognise, checked before the built-in table. */
export interface CustomBot {
  readonly name: string;
  readonly category: BotCategory;
  /**
   * Text to find (case-insensitive), or a regular expression without capture groups, matched
   * against the user agent in lower case (write its letters in lower case).
   */
  readonly pattern: string | RegExp;
}

/** Options of `createUaClassifier`. */
export interface UaClassifierOptions {
  /** How many distinct user agents to remember (least recently used go first). Default 10,000. */
  cacheSize?: number;
  /** User agents longer than this are classified but never cached. Default 1,024. */
  maxCachedLength?: number;
  /** Your own tools and partners, checked before the built-in table. */
  extraBots?: readonly CustomBot[];
}

/** A user-agent classifier with its own cache. */
export interface UaClassifier {
  (ua: string | null | undefined): UaClassification;
  /** Cache occupancy and evictions, for metrics. */
  stats(): { size: number; capacity: number; evictions: number };
}

/** The result for a request without a user agent: a signal of its own, as browsers always send one. */
export const EMPTY_USER_AGENT: UaClassification = Object.freeze({
  isBot: true,
  category: 'other-bot',
  name: 'empty user agent',
});

/** Only this much of a user agent is scanned. */
const MAX_SCANNED_LENGTH = 2048;

const BROWSER: UaClassification = Object.freeze({ isBot: false, category: null, name: null });

/**
 * Builds a classifier with a private LRU cache (see `classifyUserAgent` for what it returns).
 *
 * @example
 * const classify = createUaClassifier({ cacheSize: 50_000,
 *   extraBots: [{ name: 'our-checker', category: 'monitor', pattern: 'acme-health' }] });
 * classify('acme-health/1.0'); // { isBot: true, category: 'monitor', name: 'our-checker' }
 */
export function createUaClassifier({
  cacheSize = 10_000,
  maxCachedLength = 1024,
  extraBots = [],
}: UaClassifierOptions = {}): UaClassifier {
  const cache = new LruCache<string, UaClassification>(cacheSize);
  const bots: KnownBot[] = [];
  for (const bot of extraBots) {
    if (!bot || typeof bot.name !== 'string' || !bot.name || !KNOWN_CATEGORIES.has(bot.category)) {
      throw new TypeError(
        `createUaClassifier: extraBots entry ${JSON.stringify(bot)} needs a name and a known category`,
      );
    }
    const pattern = typeof bot.pattern === 'string' ? escapeRegExp(bot.pattern.toLowerCase()) : bot.pattern?.source;
    if (!pattern) throw new TypeError(`createUaClassifier: extraBots entry ${JSON.stringify(bot.name)} has no pattern`);
    // Rows are told apart by their position among the capture groups, and a pattern that
    // matches nothing at all would match every user agent.
    const probe = new RegExp(`(?:${pattern})|`).exec('') as RegExpExecArray;
    if (probe.length > 1 || new RegExp(pattern).test('')) {
      throw new TypeError(
        `createUaClassifier: extraBots pattern ${JSON.stringify(pattern)} of ${JSON.stringify(bot.name)} has ` +
          `capture groups or matches an empty string`,
      );
    }
    bots.push({ name: bot.name, category: bot.category, pattern });
  }
  bots.push(...KNOWN_BOTS);
  // One pass over the lower-cased string finds where any known name occurs (no capture groups:
  // they make a 200-way alternation several times slower when tried at every position); then,
  // at each place found, one sticky attempt with a group per row tells which row it was, the
  // earliest row winning.
  const anyKnown = new RegExp(bots.map((bot) => `(?:${bot.pattern})`).join('|'), 'g');
  const whichRow = new RegExp(bots.map((bot) => `(${bot.pattern})`).join('|'), 'y');
  const results = bots.map((bot) => Object.freeze({ isBot: true, category: bot.category, name: bot.name }));

  function classifyUncached(fullUa: string): UaClassification {
    // Bound the work for padded user agents: names come early, and headers can be 16 KB.
    const ua = fullUa.length > MAX_SCANNED_LENGTH ? fullUa.slice(0, MAX_SCANNED_LENGTH) : fullUa;
    const text = ua.toLowerCase();
    let best = -1;
    anyKnown.lastIndex = 0;
    // exec in a loop, not matchAll: matchAll clones the expression on every call.
    for (let found = anyKnown.exec(text); found !== null && best !== 0; found = anyKnown.exec(text)) {
      if (found[0] === '') anyKnown.lastIndex++;
      whichRow.lastIndex = found.index;
      const groups = whichRow.exec(text);
      if (groups === null) continue;
      const limit = best === -1 ? groups.length : best + 1;
      for (let group = 1; group < limit; group++) {
        if (groups[group] !== undefined) {
          best = group - 1;
          break;
        }
      }
    }
    if (best !== -1) return results[best] as UaClassification;
    if (isbot(ua)) return Object.freeze({ isBot: true, category: 'other-bot', name: isbotMatch(ua) });
    return BROWSER;
  }

  function classifyUserAgent(ua: string | null | undefined): UaClassification {
    if (typeof ua !== 'string' || ua.trim() === '') return EMPTY_USER_AGENT;
    const cached = cache.get(ua);
    if (cached !== undefined) return cached;
    const result = classifyUncached(ua);
    if (ua.length <= maxCachedLength) cache.set(ua, result);
    return result;
  }

  return Object.assign(classifyUserAgent, {
    stats: () => ({ size: cache.size, capacity: cache.capacity, evictions: cache.evictions }),
  });
}

const KNOWN_CATEGORIES: ReadonlySet<string> = new Set(botCategorySchema.options);

let shared: UaClassifier | undefined;

/**
 * Classifies a user agent: `{ isBot, category, name }`, where `category` is one of
 * `search-engine`, `ai-crawler`, `ai-assistant`, `seo`, `crawler`, `monitor`, `scanner`,
 * `http-client`, `social-preview`, `feed`, `archiver`, `validator`, `other-bot`, or `null`
 * for a browser. Well-known tools are named from a built-in table; anything else that isbot
 * recognises is `other-bot`. A missing or blank user agent is `other-bot` named
 * `empty user agent`. Results are cached per string in a shared LRU of 10,000 entries.
 * User agents are claims: anyone can send `Googlebot`.
 *
 * @example
 * classifyUserAgent('sqlmap/1.7.2#stable (https://sqlmap.org)');
 * // { isBot: true, category: 'scanner', name: 'sqlmap' }
 * classifyUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36');
 * // { isBot: false, category: null, name: null }
 */
export function classifyUserAgent(ua: string | null | undefined): UaClassification {
  shared ??= createUaClassifier();
  return shared(ua);
}
