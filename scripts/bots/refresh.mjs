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

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const sourcesDir = join(here, 'sources');
const middleware = join(root, 'packages', 'middleware');
const outDir = join(middleware, 'src', 'core', 'bots', 'generated');
const TABLE_FILE = join(outDir, 'bot-table.ts');
const RANGES_FILE = join(outDir, 'crawler-ranges.ts');
const WIDTH = 100;

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

/**
 * crawler-user-agents tags anything it cannot place as `seo`: such entries are read again from their
 * description (first match wins), and stay `seo` only when it speaks of SEO or links.
 */
const SEO_DESCRIPTIONS = [
  [/\bseo\b|backlink|\blinks?\b|rank|marketing|keyword|\bserp|audit|optimi[sz]/, 'seo'],
  [/vulnerab|security|threat|malware|phishing|exposure|attack surface/, 'security-monitor'],
  [/\bai\b|\bllm|machine learning|language model|training/, 'ai-crawler'],
  [/monitor|uptime|performance|availability|status/, 'monitor'],
  [/preview|screenshot|thumbnail|unfurl|embed|link expan/, 'preview'],
  [/\bfeeds?\b|\brss\b|podcast|news aggregat/, 'feed'],
  [/archiv|preserv/, 'archiver'],
  [/advertis|\bads?\b|ad verification|brand safety/, 'advertising'],
  [/search engine/, 'search-engine'],
  [/webhook|payment|integration|automation|\bapi\b|notification|import|conversion/, 'preview'],
];

function seoCategory(description) {
  const text = String(description ?? '').toLowerCase();
  return SEO_DESCRIPTIONS.find(([hint]) => hint.test(text))?.[1] ?? 'crawler';
}

/** ai.robots.txt's free-text `function`, read into an AI category (first match wins). */
function aiCategory(purpose) {
  const text = String(purpose ?? '').toLowerCase();
  if (/\bagents?\b|takes action/.test(text)) return 'ai-agent';
  if (/assistant|user-initiated|user queries|companion/.test(text)) return 'ai-assistant';
  if (/search/.test(text)) return 'ai-search';
  return 'ai-crawler';
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
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

/** Rows `{ category, name, pattern }` from crawler-user-agents and ai.robots.txt, in source order. */
export function botRows(crawlerUserAgents, aiRobots, words = new Set()) {
  const aiNames = Object.keys(aiRobots);
  const rows = [];
  const claimed = new Set();
  for (const entry of crawlerUserAgents) {
    const tags = new Set(entry.tags ?? []);
    let category = TAG_CATEGORIES.find(([tag]) => tags.has(tag))?.[1] ?? 'other-bot';
    if (category === 'seo') category = seoCategory(entry.description);
    const expression = new RegExp(entry.pattern, 'i');
    for (const name of aiNames) {
      if (!expression.test(name)) continue;
      claimed.add(name);
      if (tags.has('ai-crawler')) category = aiCategory(aiRobots[name].function);
    }
    if (!shadowed(entry.pattern, words)) rows.push({ category, name: nameOf(entry), pattern: entry.pattern });
  }
  for (const name of aiNames) {
    if (claimed.has(name)) continue;
    const pattern = escapeRegExp(name);
    if (!shadowed(pattern, words)) rows.push({ category: aiCategory(aiRobots[name].function), name, pattern });
  }
  return rows;
}

function checkRow(text, where, isPattern = true) {
  if (text.includes('`') || text.includes('${') || /[\r\n\t]/.test(text) || text.trim() === '') {
    throw new Error(`${where}: ${JSON.stringify(text)} cannot be written into the table`);
  }
  if (isPattern) new RegExp(text, 'i');
}

/** Lines of at most WIDTH characters; a line starting with a space continues the one before. */
function wrap(line) {
  const parts = [line.slice(0, WIDTH)];
  for (let at = WIDTH; at < line.length; at += WIDTH - 1) parts.push(` ${line.slice(at, at + WIDTH - 1)}`);
  return parts;
}

function rawBlock(lines) {
  return `String.raw\`\n${lines.flatMap(wrap).join('\n')}\n\``;
}

function header(what) {
  return [
    '// Generated by scripts/bots/refresh.mjs from scripts/bots/sources/. Do not edit by hand: change the',
    '// sources or the script and run `node scripts/bots/refresh.mjs`; a test checks that they agree.',
    `// Data: ${what}.`,
  ].join('\n');
}

/** The bot-table module's text. */
export function renderTable(sources, rows, isbot) {
  const byCategory = new Map();
  for (const row of rows) {
    checkRow(row.pattern, row.name);
    checkRow(row.name, row.pattern, false);
    const plain = escapeRegExp(row.name.toLowerCase()) === row.pattern.toLowerCase();
    // `Name/` stands for the name followed by a slash, the most common pattern of all.
    const slashed = !plain && escapeRegExp(`${row.name.toLowerCase()}/`) === row.pattern.toLowerCase();
    const line = plain ? row.name : slashed ? `${row.name}/` : `${row.name}\t${row.pattern}`;
    byCategory.set(row.category, [...(byCategory.get(row.category) ?? []), line]);
  }
  isbot.list.forEach((pattern) => checkRow(pattern, 'isbot'));
  const provenance = sources.botTables.map(
    (source) =>
      `  { name: '${source.name}', licence: '${source.licence}', commit: '${source.commit}', date: '${source.date}' },`,
  );
  return `${header('crawler-user-agents and ai.robots.txt, both MIT; isbot, Unlicense')}
import type { BotCategory } from '../../../protocol/event.js';

/** Where the rows below come from (data only, no code): the vendored snapshots' commits and dates. */
export const BOT_TABLE_SOURCES = [
${provenance.join('\n')}
  { name: 'isbot', licence: 'Unlicense', version: '${isbot.version}' },
] as const;

/**
 * Per category, one bot a line: its name, a tab and a case-insensitive regular expression source; or the
 * name alone, found as written; or the name and a slash, found as written with the slash. A line that
 * starts with a space continues the one before.
 */
export const GENERATED_BOTS: ReadonlyArray<readonly [BotCategory, string]> = [
${[...byCategory].map(([category, lines]) => `  ['${category}', ${rawBlock(lines)}],`).join('\n')}
];

/** isbot's patterns, one a line (same continuation rule): bots whose name is the text they matched. */
export const GENERIC_BOT_PATTERNS = ${rawBlock(isbot.list)};
`;
}

/** Single IPv4 addresses of one /24 as one token: `192.0.2.1,7,9` is 192.0.2.1, 192.0.2.7 and 192.0.2.9. */
function shortenSingles(cidrs) {
  const singles = new Map();
  const others = [];
  for (const cidr of cidrs) {
    const single = /^(\d+\.\d+\.\d+)\.(\d+)$/.exec(cidr);
    if (single === null) others.push(cidr);
    else singles.set(single[1], [...(singles.get(single[1]) ?? []), single[2]]);
  }
  return [...others, ...[...singles].map(([prefix, last]) => `${prefix}.${last.join(',')}`)];
}

/** The crawler-ranges module's text: CIDRs per published list, space-separated. */
export function renderRanges(sources, ranges) {
  const via = sources.crawlerRanges.via;
  const lists = sources.crawlerRanges.lists.map(({ name, url }) => {
    const cidrs = ranges.get(name);
    if (!cidrs || cidrs.length === 0) throw new Error(`no ranges for ${name}`);
    const lines = [];
    let line = '';
    for (const cidr of shortenSingles(cidrs)) {
      if (!/^[0-9a-f.:]+(?:\/\d{1,3}|(?:,\d{1,3})+)?$/i.test(cidr)) {
        throw new Error(`${name}: ${JSON.stringify(cidr)} is not a CIDR`);
      }
      if (line.length + cidr.length + 1 > WIDTH) {
        lines.push(line);
        line = '';
      }
      line = line ? `${line} ${cidr}` : cidr;
    }
    if (line) lines.push(line);
    return `  // ${url}\n  ['${name}', \`\n${lines.join('\n')}\n\`],`;
  });
  return `${header(`the operators' published lists, via ${via.repository.replace('https://github.com/', '')}, MIT`)}

/** Where the lists come from: the collecting repository's commit and date. */
export const CRAWLER_RANGES_SOURCE = { commit: '${via.commit}', date: '${via.date}' } as const;

/**
 * Per crawler list, its CIDRs separated by white space; single IPv4 addresses of one /24 share a token,
 * \`192.0.2.1,7\` standing for 192.0.2.1 and 192.0.2.7.
 */
export const CRAWLER_RANGES: ReadonlyArray<readonly [string, string]> = [
${lists.join('\n')}
];
`;
}

/** A CIDR as [family bits, first address, prefix length], addresses as BigInt. */
function parseCidr(cidr) {
  const [address, length] = cidr.split('/');
  if (address.includes(':')) {
    const [head, tail = ''] = address.split('::');
    const groups = (part) => (part === '' ? [] : part.split(':'));
    const missing = 8 - groups(head).length - groups(tail).length;
    const words = [...groups(head), ...Array(address.includes('::') ? missing : 0).fill('0'), ...groups(tail)];
    return [128, words.reduce((value, word) => (value << 16n) | BigInt(parseInt(word, 16)), 0n), Number(length)];
  }
  const value = address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  return [32, value, Number(length)];
}

function formatCidr([bits, value, length]) {
  if (bits === 32) return `${[24n, 16n, 8n, 0n].map((shift) => (value >> shift) & 255n).join('.')}/${length}`;
  const words = Array.from({ length: 8 }, (_, index) => ((value >> BigInt(112 - 16 * index)) & 0xffffn).toString(16));
  // The longest run of zero words becomes '::'.
  let best = [-1, 0];
  for (let start = 0; start < 8; start++) {
    let end = start;
    while (end < 8 && words[end] === '0') end++;
    if (end - start > best[1] && end - start > 1) best = [start, end - start];
  }
  const text =
    best[0] === -1
      ? words.join(':')
      : `${words.slice(0, best[0]).join(':')}::${words.slice(best[0] + best[1]).join(':')}`;
  return `${text}/${length}`;
}

/**
 * The same addresses in as few CIDRs as possible: blocks inside another are dropped and two halves
 * of one block merged, until nothing changes. No address is added or lost.
 */
export function aggregate(cidrs) {
  const byFamily = new Map();
  for (const cidr of cidrs) {
    const [bits, value, length] = parseCidr(cidr);
    const size = BigInt(bits - length);
    const first = (value >> size) << size;
    byFamily.set(bits, [...(byFamily.get(bits) ?? []), [bits, first, length]]);
  }
  const out = [];
  for (const blocks of byFamily.values()) {
    let changed = true;
    let list = blocks;
    while (changed) {
      changed = false;
      list.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2]));
      const next = [];
      for (const block of list) {
        const last = next[next.length - 1];
        if (last) {
          const lastEnd = last[1] + (1n << BigInt(last[0] - last[2]));
          if (block[1] < lastEnd) {
            changed = true; // inside the previous block
            continue;
          }
          const parentSize = 1n << BigInt(last[0] - last[2] + 1);
          if (last[2] === block[2] && block[1] === lastEnd && last[1] % parentSize === 0n) {
            next[next.length - 1] = [last[0], last[1], last[2] - 1];
            changed = true;
            continue;
          }
        }
        next.push(block);
      }
      list = next;
    }
    // A single address needs no length: the IP matcher reads both forms.
    out.push(
      ...list.map((block) =>
        formatCidr(block).replace(/\/(?:32|128)$/, (suffix) => (block[2] === block[0] ? '' : suffix)),
      ),
    );
  }
  return out;
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

async function main(args) {
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
