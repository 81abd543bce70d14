// Scores a classifier on lists it was not built from (scripts/bots/holdout/, see SOURCES.json there):
// device-detector's bot fixtures (named bots with categories) and real browsers' user agents.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BotCategory } from '../../src/protocol/event.js';
import type { UaClassification } from '../../src/core/bots/classify.js';

const holdoutDir = fileURLToPath(new URL('../../../../scripts/bots/holdout/', import.meta.url));

/** One named bot of the held-out list. */
export interface HeldOutBot {
  readonly category: string;
  readonly name: string;
  readonly ua: string;
}

/**
 * Which Watchpost categories agree with each device-detector category. Its `Crawler` is the catch-all
 * for anything that crawls, so any crawling category agrees with it; `other-bot` never agrees.
 */
export const AGREES: ReadonlyMap<string, ReadonlySet<BotCategory>> = new Map(
  Object.entries({
    Crawler: ['crawler', 'seo', 'search-engine', 'archiver', 'advertising', 'ai-crawler', 'ai-search'],
    'Search bot': ['search-engine', 'advertising', 'ai-search'],
    'Search tools': ['search-engine'],
    'Security search bot': ['security-monitor', 'scanner', 'search-engine'],
    'Site Monitor': ['monitor'],
    'Network Monitor': ['monitor'],
    Benchmark: ['monitor', 'validator', 'http-client'],
    'Security Checker': ['scanner', 'security-monitor'],
    'Service Agent': ['preview', 'social-preview', 'monitor', 'validator', 'http-client'],
    'Service bot': ['preview', 'advertising', 'monitor'],
    'Feed Fetcher': ['feed'],
    'Feed Reader': ['feed'],
    'Feed Parser': ['feed'],
    'Read-it-later Service': ['feed', 'preview'],
    'AI Data Scraper': ['ai-crawler'],
    'AI Search Crawler': ['ai-search', 'ai-crawler'],
    'AI Assistant': ['ai-assistant', 'ai-agent'],
    'AI Agent': ['ai-agent', 'ai-assistant'],
    'Social Media Agent': ['social-preview', 'preview'],
    Validator: ['validator'],
  }).map(([category, agreeing]) => [category, new Set(agreeing as BotCategory[])]),
);

/**
 * The held-out named bots that have a category, optionally one half of them (split by name, so that a
 * bot's user agents stay together).
 */
export function heldOutBots(half?: 0 | 1): HeldOutBot[] {
  const text = readFileSync(`${holdoutDir}matomo-bots.tsv`, 'utf8');
  const bots: HeldOutBot[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [category = '', name = '', ua = ''] = line.split('\t');
    if (category === '' || ua === '') continue;
    if (half === undefined || halfOf(name) === half) bots.push({ category, name, ua });
  }
  return bots;
}

function halfOf(name: string): 0 | 1 {
  let hash = 0;
  for (let at = 0; at < name.length; at++) hash = (hash * 31 + name.charCodeAt(at)) | 0;
  return (hash & 1) as 0 | 1;
}

/** Real browsers' user agents. */
export function browserUserAgents(): string[] {
  return readFileSync(`${holdoutDir}browsers.txt`, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

/** Shares in [0, 1]: right category, bots recognised, browsers taken for bots. */
export interface HoldoutScore {
  bots: number;
  rightCategory: number;
  botRecall: number;
  browsers: number;
  browsersAsBots: number;
  wrong: Array<{ expected: string; got: BotCategory | null; name: string; ua: string }>;
}

/** Scores `classify` on the held-out bots and browsers. */
export function scoreHoldout(
  classify: (ua: string) => UaClassification,
  bots: readonly HeldOutBot[],
  browsers: readonly string[],
): HoldoutScore {
  let right = 0;
  let recognised = 0;
  const wrong: HoldoutScore['wrong'] = [];
  for (const bot of bots) {
    const result = classify(bot.ua);
    if (result.isBot) recognised++;
    if (result.category !== null && AGREES.get(bot.category)?.has(result.category)) right++;
    else wrong.push({ expected: bot.category, got: result.category, name: bot.name, ua: bot.ua });
  }
  const browsersAsBots = browsers.filter((ua) => classify(ua).isBot).length;
  return {
    bots: bots.length,
    rightCategory: right / bots.length,
    botRecall: recognised / bots.length,
    browsers: browsers.length,
    browsersAsBots: browsersAsBots / browsers.length,
    wrong,
  };
}
