import {
  classifyUserAgent as classifyWithTable,
  createCrawlerVerifier,
  normalizeIp as normalizeWithParser,
  parseIp,
} from '@watchpost/middleware';
import { MAX_BOT_NAME_LENGTH, type BotCategory, type WatchpostEvent } from '@watchpost/middleware/protocol';
import { cleanToken } from './fields.js';

/** Why a log line was not imported: a short kebab-case kind, counted per kind in the summary. */
export type SkipReason =
  | 'empty'
  | 'not-json'
  | 'truncated'
  | 'nlb-tls-entry'
  | 'connection-log'
  | 'unknown-line-type'
  | 'bad-timestamp'
  | 'missing-field'
  | 'bad-ip'
  | 'bad-status'
  | 'invalid-event'
  | 'parse-error'
  | 'line-too-long';

/** What a line parser returns: an event ready for ingest, or the reason the line was skipped. */
export type ParseResult = { event: WatchpostEvent } | { skip: SkipReason };

/**
 * The impure or swappable lookups a parser needs. Everything is optional; the defaults come from
 * {@link createParseContext}.
 */
export interface ParseContextOptions {
  /**
   * User agent → bot category (`null` for a browser), name, and for a crawler that publishes its
   * addresses the list a claim of it must come from (`crawlerList`). Default: `classifyUserAgent` of
   * `@watchpost/middleware`.
   */
  classifyUserAgent?: (ua: string) => { category: BotCategory | null; name?: string | null; crawlerList?: string };
  /**
   * Normalise a client IP (IPv4-mapped IPv6 as IPv4, canonical text); `null` when it is not an IP. Default:
   * `normalizeIp` of `@watchpost/middleware`.
   */
  normalizeIp?: (ip: string) => string | null;
  /**
   * Country of an IP for formats that do not carry one (ALB, combined); `null` when unknown. Default: none (the CLI and
   * the route pass `loadGeoLookup()`).
   */
  lookupCountry?: ((ip: string) => string | null) | null;
  /** Distinct user agents whose category is memoised; logs repeat a few thousand UAs millions of times. */
  uaCacheSize?: number;
  /** The clock: times more than a day past it are skipped as `bad-timestamp`. Default `Date.now`. */
  now?: () => number;
}

/** The compiled form of {@link ParseContextOptions}, shared by every line of an import. */
export interface ParseContext {
  /**
   * The client's bot category (null for a browser) and name as its user agent gives it (storable;
   * null for a browser or a nameless bot). A user agent that claims a crawler publishing its
   * addresses, from an address outside them, is an `impersonator` keeping the name it claimed: the
   * same check the middleware makes on each request.
   */
  bot(ua: string, ip: string): BotOf;
  normalizeIp(ip: string): string | null;
  country(ip: string): string | null;
  now(): number;
}

/** A client's bot category and storable name (both null for a browser). */
export interface BotOf {
  readonly category: BotCategory | null;
  readonly name: string | null;
}

interface Classified extends BotOf {
  readonly crawlerList: string | undefined;
}

/**
 * Compiles the lookups once for a whole import.
 *
 * @example
 * const ctx = createParseContext({ classifyUserAgent, lookupCountry: (ip) => geo.country(ip) });
 * parseCombinedLine(line, ctx);
 */
export function createParseContext({
  classifyUserAgent = classifyWithTable,
  normalizeIp = normalizeWithParser,
  lookupCountry = null,
  uaCacheSize = 10_000,
  now = Date.now,
}: ParseContextOptions = {}): ParseContext {
  const uaCache = new Map<string, Classified>();
  const inPublishedRanges = createCrawlerVerifier();
  // One shared answer per claimed name: the names come from the bot table, so there are few.
  const impersonators = new Map<string | null, BotOf>();
  const botOf = (ua: string): Classified => {
    let hit = uaCache.get(ua);
    if (hit !== undefined) return hit;
    const { category, name, crawlerList } = classifyUserAgent(ua);
    // Generic patterns name a bot by the text they matched: the client's, so made storable.
    const stored = category === null || !name ? null : cleanToken(name, MAX_BOT_NAME_LENGTH) || null;
    hit = { category, name: stored, crawlerList: category === null ? undefined : crawlerList };
    // A full cache is dropped whole: cheaper than LRU bookkeeping and memory stays bounded.
    if (uaCache.size >= uaCacheSize) uaCache.clear();
    uaCache.set(ua, hit);
    return hit;
  };
  return {
    bot(ua, ip) {
      const hit = botOf(ua);
      if (hit.crawlerList === undefined) return hit;
      const parsed = parseIp(ip);
      if (parsed === null || inPublishedRanges(hit.crawlerList, parsed) !== false) return hit;
      let impersonator = impersonators.get(hit.name);
      if (impersonator === undefined) {
        impersonator = Object.freeze({ category: 'impersonator', name: hit.name });
        impersonators.set(hit.name, impersonator);
      }
      return impersonator;
    },
    normalizeIp,
    country: lookupCountry ?? (() => null),
    now,
  };
}

/** Shared default context for callers that pass none. */
export const defaultParseContext: ParseContext = createParseContext();
