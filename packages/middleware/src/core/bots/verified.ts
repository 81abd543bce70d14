import { createIpMatcher, type IpMatcher } from '../ip/matcher.js';
import type { ParsedIp } from '../ip/parse.js';
import { CRAWLER_RANGES } from './generated/crawler-ranges.js';

/**
 * Crawlers, by their name in the bot table, that publish the addresses they crawl from, and the
 * list (in `generated/crawler-ranges.ts`) a request claiming that name must come from.
 */
export const CLAIMED_CRAWLERS: ReadonlyMap<string, string> = new Map([
  ['Googlebot', 'googlebot'],
  ['GoogleOther', 'googlebot'],
  ['Google-InspectionTool', 'googlebot'],
  ['Storebot-Google', 'googlebot'],
  ['AdsBot-Google', 'google-special-crawlers'],
  ['Mediapartners-Google', 'google-special-crawlers'],
  ['Bingbot', 'bingbot'],
  ['Applebot', 'applebot'],
  ['DuckDuckBot', 'duckduckbot'],
  ['GPTBot', 'gptbot'],
  ['OAI-SearchBot', 'oai-searchbot'],
  ['ChatGPT-User', 'chatgpt-user'],
  ['PerplexityBot', 'perplexitybot'],
  ['Perplexity-User', 'perplexity-user'],
  ['ClaudeBot', 'claudebot'],
  ['YandexBot', 'yandexbot'],
]);

/**
 * The CIDRs of one list of `generated/crawler-ranges.ts`: white-space separated, where `192.0.2.1,7`
 * stands for the single addresses 192.0.2.1 and 192.0.2.7.
 *
 * @example
 * readRanges('192.0.2.1,7 198.51.100.0/24'); // ['192.0.2.1', '192.0.2.7', '198.51.100.0/24']
 */
export function readRanges(text: string): string[] {
  const cidrs: string[] = [];
  for (const token of text.split(/\s+/)) {
    if (token === '') continue;
    const [first, ...more] = token.split(',');
    cidrs.push(first as string);
    const prefix = (first as string).slice(0, (first as string).lastIndexOf('.') + 1);
    for (const last of more) cidrs.push(prefix + last);
  }
  return cidrs;
}

/** Whether an address is in a crawler's published list; null when there is no such list. */
export type CrawlerVerifier = (list: string, ip: ParsedIp) => boolean | null;

/**
 * Checks addresses against the crawlers' published ranges (refreshed by scripts/bots/refresh.mjs).
 * Each list is compiled into an IP matcher the first time it is asked about, so an app that never
 * sees a claimed crawler pays nothing.
 *
 * @example
 * const fromList = createCrawlerVerifier();
 * fromList('googlebot', parseIp('66.249.66.1')!); // true
 * fromList('googlebot', parseIp('203.0.113.9')!); // false: whoever says Googlebot from here is not
 */
export function createCrawlerVerifier(): CrawlerVerifier {
  const texts = new Map(CRAWLER_RANGES);
  const matchers = new Map<string, IpMatcher<string>>();
  return function inPublishedRanges(list, ip) {
    let matcher = matchers.get(list);
    if (matcher === undefined) {
      const text = texts.get(list);
      if (text === undefined) return null;
      matcher = createIpMatcher(readRanges(text));
      matchers.set(list, matcher);
    }
    return matcher.match(ip) !== null;
  };
}
