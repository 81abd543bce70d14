#!/usr/bin/env node
// Builds the middleware's bot table and verified-crawler ranges from the vendored data in
// scripts/bots/sources/ (see SOURCES.json for provenance and licences), plus isbot's pattern list
// from the installed, pinned isbot package.
//
//   node scripts/bots/refresh.mjs           write the generated modules
//   node scripts/bots/refresh.mjs --check   exit 1 if they differ from what the sources produce
//   node scripts/bots/refresh.mjs --fetch   download the sources first (needs the network), then write
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregate } from './cidr.mjs';
import { escapeRegExp, renderRanges, renderTable } from './render.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const sourcesDir = join(here, 'sources');
const middleware = join(root, 'packages', 'middleware');
const outDir = join(middleware, 'src', 'core', 'bots', 'generated');
const TABLE_FILE = join(outDir, 'bot-table.ts');
const RANGES_FILE = join(outDir, 'crawler-ranges.ts');

/** crawler-user-agents tags, most telling first: an entry with several tags takes the first listed here. */
const TAG_CATEGORIES = [
  ['ai-crawler', 'ai-crawler'],
  ['scanner', 'scanner'],
  ['social-preview', 'social-preview'],
  ['feed-reader', 'feed'],
  ['monitoring', 'monitor'],
  ['archiver', 'archiver'],
  ['advertising', 'advertising'],
  ['search-engine', 'search-engine'],
  ['academic', 'crawler'],
  ['browser-automation', 'crawler'],
  ['seo', 'seo'],
  ['http-library', 'http-client'],
];

/** Monitoring of what is said (about brands, in the media, the news, the market), not of a site. */
const MENTION_MONITORING = /\b(?:brand|media|news|social|market|mention)\w* (?:\w+ ){0,2}monitor/;

/**
 * crawler-user-agents tags anything it cannot place as `seo`: such entries are read again from their
 * description (first match wins), and stay `seo` only when it speaks of SEO or links.
 */
const SEO_DESCRIPTIONS = [
  [/\bseo\b|backlink|\blinks?\b|rank|marketing|keyword|\bserp|audit|optimi[sz]/, 'seo'],
  [/vulnerab|security|threat|malware|phishing|exposure|attack surface/, 'security-monitor'],
  // Brand, media and news monitoring reads other people's pages for mentions: crawling, not the
  // uptime and synthetic checks of a site that `monitor` means.
  [MENTION_MONITORING, 'crawler'],
  [/\bai\b|\bllm|machine learning|language model|training/, 'ai-crawler'],
  [/monitor|uptime|performance|availability|status/, 'monitor'],
  [/preview|screenshot|thumbnail|unfurl|embed|link expan/, 'preview'],
  [/\bfeeds?\b|\brss\b|podcast|news aggregat/, 'feed'],
  [/archiv|preserv/, 'archiver'],
  [/advertis|\bads?\b|ad verification|brand safety/, 'advertising'],
  [/search engine|\bsearch\b/, 'search-engine'],
  [/webhook|payment|integration|automation|\bapi\b|notification|import|conversion|prefetch|deploy/, 'preview'],
];

function seoCategory(description) {
  const text = String(description ?? '').toLowerCase();
  const category = SEO_DESCRIPTIONS.find(([hint]) => hint.test(text))?.[1] ?? 'crawler';
  return category === 'ai-crawler' ? aiCategory(text) : category;
}

/**
 * A headless browser can be anything: an entry tagged `browser-automation` is an AI agent when its
 * description says so, a monitor when it speaks of monitoring, else a crawler.
 */
function automationCategory(description) {
  const text = String(description ?? '').toLowerCase();
  if (/\bai\b|\bagents?\b/.test(text)) return aiCategory(text);
  return /monitor/.test(text) ? 'monitor' : 'crawler';
}

/**
 * ai.robots.txt's free-text `function`, read into an AI category (first match wins); `fallback` when
 * it says nothing (`Unclear at this time.`, `Undocumented AI Agents`).
 */
function aiCategory(purpose, fallback = 'ai-crawler') {
  const text = String(purpose ?? '').toLowerCase();
  if (/^undocumented\b/.test(text)) return fallback;
  if (/\bagents?\b|takes action/.test(text)) return 'ai-agent';
  // `Search engine using generative AI, AI Search Assistant`: a search engine first of all.
  if (/search engine/.test(text)) return 'ai-search';
  if (/assistant|user-initiated|user queries|companion/.test(text)) return 'ai-assistant';
  if (/\bsearch/.test(text)) return 'ai-search';
  return 'ai-crawler';
}

/** A display name for a crawler-user-agents entry: the text its pattern finds in its first example. */
function nameOf(entry) {
  for (const instance of entry.instances ?? []) {
    const found = new RegExp(entry.pattern).exec(instance)?.[0];
    const name = found?.replace(/^[\s;(]+|[\s/;()]+$/g, '');
    if (name) return name;
  }
  return entry.pattern.replace(/\\(.)/g, '$1').replace(/[\^$]/g, '').trim();
}

const PLAIN_SOURCE = /^(?:[^\\.*+?^${}()|[\]]|\\[^A-Za-z0-9])+$/;

/**
 * Plain words of our own table (packages/middleware/src/core/bots/table.ts, read as text), HTTP
 * clients excepted: its rows come before every generated one, so a generated row whose plain text
 * contains one of these words can never win, and is left out of the bundle.
 */
export function ownWords(tableSource) {
  const beforeClients = tableSource.slice(0, tableSource.indexOf("'http-client'"));
  const words = new Set();
  for (const [, name, pattern] of beforeClients.matchAll(/\[\s*'([^']+)'(?:,\s*'([^']*)')?\s*\]/g)) {
    for (const word of (pattern ?? escapeRegExp(name.toLowerCase())).split('|')) {
      if (/^[a-z0-9 _-]{3,}$/.test(word)) words.add(word);
    }
  }
  return words;
}

/** Whether our own table always wins over this row (see `ownWords`). */
function shadowed(pattern, words) {
  if (!PLAIN_SOURCE.test(pattern)) return false;
  const text = pattern.replace(/\\(.)/g, '$1').toLowerCase();
  for (const word of words) if (text.includes(word)) return true;
  return false;
}

/**
 * ai.robots.txt lists robots.txt tokens, and a few are ordinary words (`Spider`, `Code`) that the
 * user agents of many other bots contain (`Sogou-Spider`, `Transcoder`): found anywhere, they would
 * name every spider an AI crawler. A token that the examples of this many other crawler-user-agents
 * entries contain is found only as a product token of its own: not joined to a word before it, and
 * followed by a version (`Spider/1.0`). Every other token is found only as a word of its own.
 */
const COMMON_WORD_ENTRIES = 5;

function aiPattern(name, crawlerUserAgents) {
  const pattern = escapeRegExp(name);
  const expression = new RegExp(pattern, 'i');
  const others = crawlerUserAgents.filter(
    (entry) => !new RegExp(entry.pattern, 'i').test(name) && (entry.instances ?? []).some((ua) => expression.test(ua)),
  );
  if (others.length >= COMMON_WORD_ENTRIES) return `(?<![\\w-])${pattern}\\/`;
  // Any other token is found as a word of its own: `LCC` is Leipzig's corpus crawler, and found
  // inside `SLCC2` (Internet Explorer on Windows 7) it made that browser an AI crawler.
  return `(?<![a-z0-9])${pattern}(?![a-z0-9])`;
}

/** A `monitoring` entry stays a monitor unless its description speaks of brand or media monitoring. */
function monitoringCategory(description) {
  return MENTION_MONITORING.test(String(description ?? '').toLowerCase()) ? 'crawler' : 'monitor';
}

/**
 * An `http-library` entry is an HTTP client, unless its description calls it a crawler or a scraper
 * and never an HTTP client (`larbin`, `Scrapy`, `trafilatura`): as our own table files crawling
 * frameworks, a crawler.
 */
function libraryCategory(description) {
  const text = String(description ?? '').toLowerCase();
  return /crawl|scrap/.test(text) && !/\bhttp\b/.test(text) ? 'crawler' : 'http-client';
}

/**
 * Tags that place a bot by what it is built with or by default (`seo` is crawler-user-agents'
 * catch-all, see SEO_DESCRIPTIONS), not by what it does: when ai.robots.txt lists the bot, its
 * `function` says more, unless ai.robots.txt itself says the bot is not known to be AI-related.
 */
const WEAK_TAGS = new Set([undefined, 'seo', 'browser-automation']);
const NOT_AI = /not currently known to be artificially intelligent|not currently known to be .*ai-related/i;

/**
 * Whether `expression` (a crawler-user-agents pattern) finds an ai.robots.txt `name`, alone or as a
 * product token (`LinerBot\/` finds `LinerBot`): `'whole'` when what it finds is the whole name,
 * `'part'` when only a part (`SemrushBot` in `SemrushBot-SWA`), else null.
 */
function findsName(expression, name) {
  const found = expression.exec(name)?.[0] ?? expression.exec(`${name}/`)?.[0];
  if (found === undefined) return null;
  return found.replace(/\/$/, '').length === name.length ? 'whole' : 'part';
}

/** Rows `{ category, name, pattern }` from crawler-user-agents and ai.robots.txt, in source order. */
export function botRows(crawlerUserAgents, aiRobots, words = new Set()) {
  const aiNames = Object.keys(aiRobots);
  const rows = [];
  const claimed = new Set();
  for (const entry of crawlerUserAgents) {
    const tags = new Set(entry.tags ?? []);
    const tag = TAG_CATEGORIES.find(([name]) => tags.has(name))?.[0];
    let category = TAG_CATEGORIES.find(([name]) => name === tag)?.[1] ?? 'other-bot';
    if (tag === 'seo') category = seoCategory(entry.description);
    if (tag === 'browser-automation') category = automationCategory(entry.description);
    if (tag === 'monitoring') category = monitoringCategory(entry.description);
    if (tag === 'http-library') category = libraryCategory(entry.description);
    const expression = new RegExp(entry.pattern, 'i');
    for (const name of aiNames) {
      const found = findsName(expression, name);
      if (found === null) continue;
      const { function: purpose, description } = aiRobots[name];
      if (tags.has('ai-crawler')) category = aiCategory(purpose, category);
      // A longer name (`Webzio-Extended` beside `webzio`) is another bot of the same operator: it
      // keeps a row of its own, the more specific one.
      if (found === 'part') continue;
      claimed.add(name);
      if (WEAK_TAGS.has(tag) && !NOT_AI.test(String(description))) category = aiCategory(purpose, category);
    }
    if (!shadowed(entry.pattern, words)) rows.push({ category, name: nameOf(entry), pattern: entry.pattern });
  }
  for (const name of aiNames) {
    if (claimed.has(name)) continue;
    const pattern = aiPattern(name, crawlerUserAgents);
    if (!shadowed(pattern, words)) rows.push({ category: aiCategory(aiRobots[name].function), name, pattern });
  }
  return rows;
}

function readRanges(sources) {
  const ranges = new Map();
  for (const { name } of sources.crawlerRanges.lists) {
    const text = readFileSync(join(sourcesDir, 'ip-ranges', `${name}.txt`), 'utf8');
    const cidrs = aggregate(text.split(/\s+/).filter((line) => line !== '' && !line.startsWith('#')));
    ranges.set(name, cidrs);
  }
  return ranges;
}

/** Both modules' text from the vendored sources, each formatted as Prettier would. */
export async function generate() {
  const sources = JSON.parse(readFileSync(join(sourcesDir, 'SOURCES.json'), 'utf8'));
  const read = (file) => JSON.parse(readFileSync(join(sourcesDir, file), 'utf8'));
  const [crawlerUserAgents, aiRobots] = sources.botTables.map((source) => read(source.file));
  const requireFromMiddleware = createRequire(join(middleware, 'package.json'));
  const isbot = {
    list: requireFromMiddleware('isbot').list,
    version: requireFromMiddleware('isbot/package.json').version,
  };
  const words = ownWords(readFileSync(join(middleware, 'src', 'core', 'bots', 'table.ts'), 'utf8'));
  const prettier = createRequire(join(root, 'package.json'))('prettier');
  const format = async (text, file) =>
    prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  return new Map([
    [TABLE_FILE, await format(renderTable(sources, botRows(crawlerUserAgents, aiRobots, words), isbot), TABLE_FILE)],
    [RANGES_FILE, await format(renderRanges(sources, readRanges(sources)), RANGES_FILE)],
  ]);
}

/** Downloads the sources named in SOURCES.json; lists in the operators' `prefixes` JSON format only. */
async function fetchSources() {
  const sources = JSON.parse(readFileSync(join(sourcesDir, 'SOURCES.json'), 'utf8'));
  const today = new Date().toISOString().slice(0, 10);
  for (const source of sources.botTables) {
    const response = await fetch(source.url);
    if (!response.ok) throw new Error(`${source.url}: HTTP ${response.status}`);
    writeFileSync(join(sourcesDir, source.file), `${JSON.stringify(await response.json(), null, 2)}\n`);
    Object.assign(source, { commit: 'fetched', date: today });
  }
  for (const { name, url } of sources.crawlerRanges.lists) {
    const response = await fetch(url).catch((error) => ({ ok: false, status: String(error) }));
    const body = response.ok ? await response.json().catch(() => null) : null;
    if (!Array.isArray(body?.prefixes)) {
      console.warn(`${name}: kept the vendored list (${url}: ${response.status ?? 'not the prefixes format'})`);
      continue;
    }
    const cidrs = body.prefixes.map((prefix) => prefix.ipv4Prefix ?? prefix.ipv6Prefix).filter(Boolean);
    writeFileSync(join(sourcesDir, 'ip-ranges', `${name}.txt`), `${cidrs.join('\n')}\n`);
  }
  writeFileSync(join(sourcesDir, 'SOURCES.json'), `${JSON.stringify(sources, null, 2)}\n`);
}

const USAGE = `Usage: node scripts/bots/refresh.mjs [--check | --fetch]

Builds packages/middleware/src/core/bots/generated/ from the vendored sources in scripts/bots/sources/.
  (none)    write the generated modules
  --check   write nothing; exit 1 if they differ from what the sources produce
  --fetch   download the sources first (needs the network), then write`;

async function main(args) {
  const unknown = args.filter((arg) => arg !== '--check' && arg !== '--fetch');
  if (args.includes('--help') || args.includes('-h')) return void console.log(USAGE);
  if (unknown.length > 0) {
    console.error(`refresh.mjs: unknown option ${unknown[0]}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.includes('--fetch')) await fetchSources();
  const modules = await generate();
  let stale = 0;
  for (const [file, text] of modules) {
    let current = null;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // Not written yet.
    }
    if (current === text) continue;
    if (args.includes('--check')) {
      console.error(`${file} is not what scripts/bots/refresh.mjs produces from scripts/bots/sources/`);
      stale++;
    } else writeFileSync(file, text);
  }
  if (stale > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
