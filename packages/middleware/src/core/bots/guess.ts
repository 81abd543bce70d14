import type { BotCategory } from '../../protocol/event.js';
import type { IndexedPattern } from './bot-index.js';
import { branches } from './literals.js';

/**
 * Words that give away what an unnamed bot does, most telling first. A bot is only guessed at when
 * nothing in the tables names it and a generic pattern (isbot's) found it a bot; `other-bot` stays
 * for the ones that say nothing about themselves. Alternatives stay single words, not `(?:a|b)` groups,
 * so that the bot index can look each one up by its text (see `hintRows`).
 */
const HINTS: ReadonlyArray<readonly [RegExp, BotCategory]> = [
  // Payloads and exploit probes in the user agent itself.
  [/\$\{jndi:|<\?php|<\?=|\bunion\s+select\b|\bexploit|\bvuln|pentest|\bfuzz/, 'scanner'],
  // Web filters' categorisation crawlers read pages to file them (`URL categorization`), whatever
  // security vendor runs them.
  [/categori[sz]/, 'crawler'],
  [/\bscan(?:ner|ning|s)?\b|security|cyber|inventory|probe\b|\bmapping\b/, 'security-monitor'],
  [
    new RegExp(
      String.raw`\bgpt|\bllm|\bclaude|\banthropic|\bopenai|\bgemini|\bcohere|\bmistral|\bhuggingface|\bperplexity|` +
        String.raw`-ai\b|_ai\b| ai\b|\bai-|\bai_|\bai |\.ai\/|\.ai\)|\.ai;`,
    ),
    'ai-crawler',
  ],
  [
    /facebook|meta-external|twitter|telegram|whatsapp|linkedin|pinterest|discord|slack|tumblr|vkshare|vkrobot/,
    'social-preview',
  ],
  [
    /monit|uptime|\bping(?:er|dom)?\b|pinger|health|\bstatus|synthetic|observ|diagnost|grafana|prometheus|collectd/,
    'monitor',
  ],
  [/munin|nagios|zabbix|webmon|loadtime|heartbeat|alive|sitemap check|trackable|\bmon\b|httpmon/, 'monitor'],
  // A product that names an ad network (`GoogleAdSenseInfeed`) says more than the word `feed` in it.
  [/\bads?bot|adsense|adwords|advert|\bads\b/, 'advertising'],
  // `feed`, but not `feedback`.
  [/feed(?!back)|\brss\b|\batom\b|reader\b|subscriber|\breaders?\)|podcast|\bnews/, 'feed'],
  [/validat|\blint|w3c|checklink|linkcheck|csscheck|link.?checker/, 'validator'],
  // Domain control validation (`DCV`, ACME, `domain verification`) fetches a token for a service.
  [/preview|capture|screenshot|thumbnail|unfurl|\bembed|image.?cache|link resolver|\bdcv\b|\bacme\.|expand/, 'preview'],
  [/domain verification|hostname verification/, 'preview'],
  [/archiv|wayback|heritrix|warc/, 'archiver'],
  [/\bseo|backlink|serp|rank/, 'seo'],
  // Academic crawlers say what they are for (before `search`, which `research` contains), or give a
  // university's address (`.edu`, `.ac.uk`).
  [/\bresearch|\bstudy\b|academic|universit|experiment|\.edu\b|\.ac\.uk\b/, 'crawler'],
  [/search|google|yandex|naver|baidu|\bbing|suche|\bspider/, 'search-engine'],
  // A bot that gives a web page or an address to contact introduces itself the way crawlers do
  // (`Name/1.0 (+https://example.com/bot)`, or `(compatible; Name/1.0)`): a crawler, rather than a
  // bot that says nothing.
  [/crawl|robot|\bbot\b|bot\/|bot\b|scrap|spider|fetch|index/, 'crawler'],
  [/https?:\/\/|\+http|[a-z0-9]@[a-z0-9]|compatible; ?[a-z][\w.-]*\//, 'crawler'],
];

/**
 * Each hint's alternatives as rows, most telling first, with the category of each: the classifier
 * files them as its bot index's second track, so that the one reading of a user agent finds the
 * most telling hint as well (tried only for a bot no table names).
 *
 * @example
 * const { rows, categories } = hintRows();
 * rows.length === categories.length; // true
 */
export function hintRows(): { rows: readonly IndexedPattern[]; categories: readonly BotCategory[] } {
  const rows: IndexedPattern[] = [];
  const categories: BotCategory[] = [];
  for (const [hint, category] of HINTS) {
    for (const pattern of branches(hint.source) as string[]) {
      rows.push({ pattern });
      categories.push(category);
    }
  }
  return { rows, categories };
}
