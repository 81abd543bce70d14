import type { BotCategory } from '../../protocol/event.js';

/**
 * Words that give away what an unnamed bot does, most telling first. A bot is only guessed at when
 * nothing in the tables names it and a generic pattern (isbot's) found it a bot; `other-bot` stays
 * for the ones that say nothing about themselves.
 */
const HINTS: ReadonlyArray<readonly [RegExp, BotCategory]> = [
  // Payloads and exploit probes in the user agent itself.
  [/\$\{jndi:|<\?(?:php|=)|\bunion\s+select\b|\bexploit|\bvuln|pentest|\bfuzz/, 'scanner'],
  [
    /\bscan(?:ner|ning|s)?\b|security|cyber|\bresearch|experiment|inventory|\bprobe\b|tlsprobe|\bmapping\b/,
    'security-monitor',
  ],
  [
    /\b(?:gpt|llm|claude|anthropic|openai|gemini|cohere|mistral|huggingface|perplexity)|[-_ ]ai\b|\bai[-_ ]/,
    'ai-crawler',
  ],
  [
    /facebook|meta-external|twitter|telegram|whatsapp|linkedin|pinterest|discord|slack|tumblr|vk(?:share|robot)/,
    'social-preview',
  ],
  [
    /monitor|uptime|\bping(?:er|dom)?\b|pinger|health|\bstatus|synthetic|observ|diagnost|grafana|prometheus|collectd/,
    'monitor',
  ],
  [/munin|nagios|zabbix|webmon|loadtime|heartbeat|alive|sitemap check|trackable|\bmon\b|httpmon/, 'monitor'],
  [/feed|\brss\b|\batom\b|reader\b|subscriber|\breaders?\)|podcast|\bnews/, 'feed'],
  [/validat|\blint|w3c|checklink|linkcheck|csscheck|link.?checker/, 'validator'],
  [/preview|capture|screenshot|thumbnail|unfurl|\bembed|image.?cache|link resolver|\bdcv\b|\bacme\.|expand/, 'preview'],
  [/archiv|wayback|heritrix|warc/, 'archiver'],
  [/\bads?bot|adsense|adwords|advert|\bads\b/, 'advertising'],
  [/\bseo\b|backlink|serp|rank/, 'seo'],
  [/search|google|yandex|naver|baidu|\bbing|suche|\bspider/, 'search-engine'],
  // A bot that gives a web page or an address to contact introduces itself the way crawlers do
  // (`Name/1.0 (+https://example.com/bot)`): a crawler, rather than a bot that says nothing.
  [/crawl|robot|\bbot\b|bot\/|bot\b|scrap|spider|fetch|index|https?:\/\/|\+http|[a-z0-9]@[a-z0-9]/, 'crawler'],
];

// All hints in one expression, a group per hint: one pass over the user agent finds every hint
// (the first listed wins where two start at the same place), and the most telling one found wins.
const ANY_HINT = new RegExp(HINTS.map(([hint]) => `(${hint.source})`).join('|'), 'g');

/**
 * A category for a bot that no table names, from the words in its user agent (lower case), or
 * `other-bot` when it says nothing about itself.
 *
 * @example
 * guessCategory('acme uptime monitor/2.0'); // 'monitor'
 * guessCategory('mozilla/5.0 (compatible; heexybot/1.0; +https://heexy.org/bot)'); // 'crawler'
 */
export function guessCategory(lowerUa: string): BotCategory {
  let best = HINTS.length;
  ANY_HINT.lastIndex = 0;
  for (let found = ANY_HINT.exec(lowerUa); found !== null && best > 0; found = ANY_HINT.exec(lowerUa)) {
    if (found[0] === '') ANY_HINT.lastIndex++;
    for (let group = 1; group <= best; group++) {
      if (found[group] !== undefined) {
        best = group - 1;
        break;
      }
    }
  }
  return best === HINTS.length ? 'other-bot' : (HINTS[best] as readonly [RegExp, BotCategory])[1];
}
