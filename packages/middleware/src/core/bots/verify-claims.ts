import type { BotCategory } from '../../protocol/event.js';
import type { ParsedIp } from '../ip/parse.js';
import type { UaClassification } from './classify.js';
import { createCrawlerVerifier } from './verified.js';

/** Options of the crawler check (`crawlerVerification` in the engine's options). */
export interface CrawlerVerificationOptions {
  /**
   * Take the platform's verified-bot flag (`RequestFacts.verifiedBot`, which the edge worker sets
   * from Cloudflare's `cf.botManagement.verifiedBot` or `cf.verifiedBotCategory`) as proof. Default
   * true. Set it only where the flag comes from the platform, never from a request header.
   */
  platformFlag?: boolean;
}

/** What the check needs to know about a request. */
export interface ClaimFacts {
  readonly ua: string;
  readonly verifiedBot?: boolean;
}

/**
 * Builds the engine's bot-category step: the user agent's category, or `impersonator` when it names
 * a crawler that publishes its addresses and the request comes from outside them. A request without
 * a parsable address cannot be checked and keeps its category. Options are checked here.
 *
 * @example
 * const categoryOf = compileCrawlerVerification(classifyUserAgent, {});
 * categoryOf({ ua: 'Googlebot/2.1' }, parseIp('203.0.113.9')); // 'impersonator'
 * categoryOf({ ua: 'Googlebot/2.1' }, parseIp('66.249.66.1')); // 'search-engine'
 */
export function compileCrawlerVerification(
  classify: (ua: string) => UaClassification,
  options: CrawlerVerificationOptions | false | undefined,
): (req: ClaimFacts, ip: ParsedIp | null) => BotCategory | null {
  const botOf = compileBotOf(classify, options);
  return (req, ip) => botOf(req, ip).category;
}

/**
 * Like `compileCrawlerVerification`, but gives the whole classification: an impersonator keeps the
 * name it claimed (`Googlebot`), with the category `impersonator` and no address list.
 *
 * @example
 * compileBotOf(classifyUserAgent, {})({ ua: 'Googlebot/2.1' }, parseIp('203.0.113.9'));
 * // { isBot: true, category: 'impersonator', name: 'Googlebot' }
 */
export function compileBotOf(
  classify: (ua: string) => UaClassification,
  options: CrawlerVerificationOptions | false | undefined,
): (req: ClaimFacts, ip: ParsedIp | null) => UaClassification {
  if (options === false) return (req) => classify(req.ua);
  if (options === null || (options !== undefined && typeof options !== 'object')) {
    throw new TypeError(`options.crawlerVerification must be an object or false, got ${JSON.stringify(options)}`);
  }
  const { platformFlag = true } = options ?? {};
  if (typeof platformFlag !== 'boolean') {
    throw new TypeError(
      `options.crawlerVerification.platformFlag must be a boolean, got ${JSON.stringify(platformFlag)}`,
    );
  }
  const inPublishedRanges = createCrawlerVerifier();
  // One shared result per claimed name: the names come from our table, so there are few.
  const impersonators = new Map<string | null, UaClassification>();
  return function botOf(req, ip) {
    const result = classify(req.ua);
    if (result.crawlerList === undefined || ip === null) return result;
    if (platformFlag && req.verifiedBot === true) return result;
    if (inPublishedRanges(result.crawlerList, ip) !== false) return result;
    let impersonator = impersonators.get(result.name);
    if (impersonator === undefined) {
      impersonator = Object.freeze({ isBot: true, category: 'impersonator', name: result.name });
      impersonators.set(result.name, impersonator);
    }
    return impersonator;
  };
}
