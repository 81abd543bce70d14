import { botCategorySchema, type BotCategory } from '../../protocol/event.js';
import { RecentCache } from '../recent-cache.js';
import { escapeRegExp } from '../regexp.js';
import { createBotIndex } from './bot-index.js';
import { isPlainBrowser } from './browser-shape.js';
import { GENERATED_BOTS, GENERIC_BOT_PATTERNS } from './generated/bot-table.js';
import { hintRows } from './guess.js';
import { bySpecificity, readLines, readTable, type TableRow } from './read-table.js';
import { KNOWN_BOTS } from './table.js';
import { CLAIMED_CRAWLERS } from './verified.js';

/** What a user agent says about the client. `category` and `name` are null for a browser. */
export interface UaClassification {
  readonly isBot: boolean;
  readonly category: BotCategory | null;
  /** The tool's well-known name (`Googlebot`, `sqlmap`), or what a generic pattern matched, or null. */
  readonly name: string | null;
  /**
   * Set when the name is a crawler that publishes its addresses: the list (`googlebot`, `gptbot`, …)
   * a request must come from to be that crawler (see `createCrawlerVerifier`).
   */
  readonly crawlerList?: string;
}

/** An extra user agent to recognise, checked before the built-in table. */
export interface CustomBot {
  readonly name: string;
  readonly category: BotCategory;
  /**
   * Text to find (case-insensitive), or a regular expression without capture groups, matched
   * case-insensitively against the user agent.
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
  /**
   * Scan every user agent for bot names, even one of a common browser's shape (`browser-shape.ts`),
   * which is otherwise a browser's at once: for tests and comparisons. Default false.
   */
  scanEvery?: boolean;
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
 * What a CDN sends in place of a user agent it was not told to forward: CloudFront sends `Amazon
 * CloudFront` when the cache policy leaves the viewer's `User-Agent` out. Those are the visitors'
 * requests, so they are not taken for a bot (crawler-user-agents lists the text as a crawler, which
 * would make every visitor behind such a distribution one); nothing is known of who sent them.
 */
const CDN_STAND_INS: ReadonlySet<string> = new Set(['Amazon CloudFront']);

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
  scanEvery = false,
}: UaClassifierOptions = {}): UaClassifier {
  const cache = new RecentCache<string, UaClassification>(cacheSize);
  const extraRows = extraBots.map(checkExtraBot);
  const rows: TableRow[] = [...extraRows, ...builtInRows()];
  // A user agent of a common browser's shape is a browser's (see browser-shape.ts), unless your own
  // patterns say otherwise: they are checked first, as they are in the index.
  const extraPattern = extraRows.length === 0 ? null : new RegExp(extraRows.map((row) => row.pattern).join('|'), 'i');
  // isbot's generic patterns come last (see builtInRows): the fallbacks of the index. After them, the
  // words that give away what an unnamed bot does, as the index's second track.
  const hints = hintRows();
  const findBot = createBotIndex(
    [...rows, ...hints.rows],
    rows.length - readLines(GENERIC_BOT_PATTERNS).length,
    rows.length,
  );
  const results = rows.map((row) => (row.name === null ? null : resultOf(row.category, row.name)));
  const guessed = (hint: number | null) =>
    hint === null ? 'other-bot' : (hints.categories[hint - rows.length] as BotCategory);

  function classifyUncached(fullUa: string): UaClassification {
    // Bound the work for padded user agents: names come early, and headers can be 16 KB.
    const ua = fullUa.length > MAX_SCANNED_LENGTH ? fullUa.slice(0, MAX_SCANNED_LENGTH) : fullUa;
    const unnamed = CDN_STAND_INS.has(ua) || (!scanEvery && isPlainBrowser(ua));
    if (unnamed && (extraPattern === null || !extraPattern.test(ua))) return BROWSER;
    const lowerUa = ua.toLowerCase();
    const hit = findBot(lowerUa, ua);
    if (hit === null) return BROWSER;
    // Generic patterns (isbot's) have no name of their own: the bot is called what they matched, and
    // its category is guessed from the words it uses (`hintRows`), or `other-bot` when they say nothing.
    return (
      results[hit.row] ?? Object.freeze({ isBot: true, category: guessed(hit.second), name: hit.text.trim() || null })
    );
  }

  function classifyUserAgent(ua: string | null | undefined): UaClassification {
    if (typeof ua !== 'string') return EMPTY_USER_AGENT;
    // A blank user agent is never cached: a hit is one lookup, with no trimming first.
    const cached = cache.get(ua);
    if (cached !== undefined) return cached;
    if (ua.trim() === '') return EMPTY_USER_AGENT;
    const result = classifyUncached(ua);
    if (ua.length <= maxCachedLength) cache.set(ua, result);
    return result;
  }

  return Object.assign(classifyUserAgent, {
    stats: () => ({ size: cache.size, capacity: cache.capacity, evictions: cache.evictions }),
  });
}

const KNOWN_CATEGORIES: ReadonlySet<string> = new Set(botCategorySchema.options);

function resultOf(category: BotCategory, name: string): UaClassification {
  const crawlerList = CLAIMED_CRAWLERS.get(name);
  return Object.freeze(
    crawlerList === undefined ? { isBot: true, category, name } : { isBot: true, category, name, crawlerList },
  );
}

/** Checks an `extraBots` entry and turns it into a table row; throws a TypeError naming a bad one. */
function checkExtraBot(bot: CustomBot): TableRow {
  if (!bot || typeof bot.name !== 'string' || !bot.name || !KNOWN_CATEGORIES.has(bot.category)) {
    throw new TypeError(`createUaClassifier: extraBots entry ${JSON.stringify(bot)} needs a name and a known category`);
  }
  const pattern = typeof bot.pattern === 'string' ? escapeRegExp(bot.pattern) : bot.pattern?.source;
  if (!pattern) throw new TypeError(`createUaClassifier: extraBots entry ${JSON.stringify(bot.name)} has no pattern`);
  // A pattern that matches nothing at all would match every user agent; capture groups are refused
  // as they were when rows were told apart by their groups, so that old options keep their meaning.
  const probe = new RegExp(`(?:${pattern})|`).exec('') as RegExpExecArray;
  if (probe.length > 1 || new RegExp(pattern).test('')) {
    throw new TypeError(
      `createUaClassifier: extraBots pattern ${JSON.stringify(pattern)} of ${JSON.stringify(bot.name)} has ` +
        `capture groups or matches an empty string`,
    );
  }
  return { name: bot.name, category: bot.category, pattern };
}

let builtIn: readonly TableRow[] | undefined;

/**
 * The built-in rows in priority order: our own table (`table.ts`) except HTTP clients, then those
 * and the generated table together, the row with the longer text to find first (it is the more
 * specific: `node-fetch` before `fetch/`, ours first on a tie), and isbot's generic patterns last.
 */
export function builtInRows(): readonly TableRow[] {
  if (builtIn !== undefined) return builtIn;
  const ours = KNOWN_BOTS.map(({ name, category, pattern }) => ({ name, category, pattern }));
  const clients = ours.filter((row) => row.category === 'http-client');
  builtIn = [
    ...ours.filter((row) => row.category !== 'http-client'),
    ...bySpecificity([...clients, ...readTable(GENERATED_BOTS)]),
    ...readLines(GENERIC_BOT_PATTERNS).map((pattern) => ({ name: null, category: 'other-bot' as const, pattern })),
  ];
  return builtIn;
}

let shared: UaClassifier | undefined;

/**
 * Classifies a user agent: `{ isBot, category, name }`, where `category` is one of
 * `botCategorySchema`'s (`impersonator` excepted: that takes an address, see `crawlerVerification`)
 * or `null` for a browser. Bots are named from our own table (`table.ts`), then a table generated
 * from crawler-user-agents and ai.robots.txt (`generated/`); anything else that isbot's patterns
 * recognise is named by what they matched, its category guessed from its words (`other-bot` when
 * they say nothing). A missing or blank user agent is `other-bot` named `empty user agent`. Results
 * are cached per string in a shared LRU of 10,000 entries. `crawlerList` is set for crawlers that
 * publish their addresses. User agents are claims: anyone can send `Googlebot`.
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
