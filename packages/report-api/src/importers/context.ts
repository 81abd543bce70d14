import { isIP } from 'node:net';
import type { BotCategory, WatchpostEvent } from '@watchpost/middleware/protocol';

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
  | 'bad-status';

/** What a line parser returns: an event ready for ingest, or the reason the line was skipped. */
export type ParseResult = { event: WatchpostEvent } | { skip: SkipReason };

/**
 * The impure or swappable lookups a parser needs. Everything is optional; the defaults come from
 * {@link createParseContext}.
 */
export interface ParseContextOptions {
  /** User agent → bot category (`null` for a browser). */
  classifyUserAgent?: (ua: string) => { category: BotCategory | null };
  /** Normalise a client IP (IPv4-mapped IPv6 as IPv4, lower case); `null` when it is not an IP. */
  normalizeIp?: (ip: string) => string | null;
  /** Country of an IP for formats that do not carry one (ALB, combined); `null` when unknown. */
  lookupCountry?: ((ip: string) => string | null) | null;
  /** Distinct user agents whose category is memoised; logs repeat a few thousand UAs millions of times. */
  uaCacheSize?: number;
}

/** The compiled form of {@link ParseContextOptions}, shared by every line of an import. */
export interface ParseContext {
  botCategory(ua: string): BotCategory | null;
  normalizeIp(ip: string): string | null;
  country(ip: string): string | null;
}

/**
 * Fallback IP normaliser: validates with `node:net`, maps `::ffff:a.b.c.d` to IPv4, drops brackets
 * and zone ids, lower-cases IPv6.
 *
 * @example
 * normalizeClientIp('::FFFF:192.0.2.4'); // '192.0.2.4'
 * normalizeClientIp('not-an-ip'); // null
 */
export function normalizeClientIp(raw: string): string | null {
  let ip = raw;
  if (ip.charCodeAt(0) === 91 /* [ */ && ip.endsWith(']')) ip = ip.slice(1, -1);
  const kind = isIP(ip);
  if (kind === 4) return ip;
  if (kind !== 6) return null;
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  ip = ip.toLowerCase();
  if (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4) return ip.slice(7);
  return ip;
}

/** Until a classifier is supplied every user agent counts as a browser. */
const noClassifier = (): { category: BotCategory | null } => ({ category: null });

/**
 * Compiles the lookups once for a whole import.
 *
 * @example
 * const ctx = createParseContext({ classifyUserAgent, lookupCountry: (ip) => geo.country(ip) });
 * parseCombinedLine(line, ctx);
 */
export function createParseContext({
  classifyUserAgent = noClassifier,
  normalizeIp = normalizeClientIp,
  lookupCountry = null,
  uaCacheSize = 10_000,
}: ParseContextOptions = {}): ParseContext {
  const uaCache = new Map<string, BotCategory | null>();
  return {
    botCategory(ua) {
      const hit = uaCache.get(ua);
      if (hit !== undefined) return hit;
      const category = ua === '' ? null : classifyUserAgent(ua).category;
      // A full cache is dropped whole: cheaper than LRU bookkeeping and memory stays bounded.
      if (uaCache.size >= uaCacheSize) uaCache.clear();
      uaCache.set(ua, category);
      return category;
    },
    normalizeIp,
    country: lookupCountry ?? (() => null),
  };
}

/** Shared default context for callers that pass none. */
export const defaultParseContext: ParseContext = createParseContext();
