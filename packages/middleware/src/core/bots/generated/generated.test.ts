// The generated modules against their sources: the script must reproduce them byte for byte, and
// every source entry (a sample of crawler-user-agents' examples, every ai.robots.txt name) must be
// recognised by the classifier built from them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyUserAgent } from '../classify.js';
import { parseIp, type ParsedIp } from '../../ip/parse.js';
import { requiredLiterals } from '../literals.js';
import { readLines, readTable } from '../read-table.js';
import { createCrawlerVerifier, readRanges } from '../verified.js';
import { GENERATED_BOTS, GENERIC_BOT_PATTERNS } from './bot-table.js';
import { CRAWLER_RANGES } from './crawler-ranges.js';

const root = fileURLToPath(new URL('../../../../../../', import.meta.url));
const sources = `${root}scripts/bots/sources/`;
const crawlerUserAgents = JSON.parse(readFileSync(`${sources}crawler-user-agents.json`, 'utf8')) as Array<{
  pattern: string;
  instances?: string[];
}>;
const aiRobots = Object.keys(JSON.parse(readFileSync(`${sources}ai-robots.json`, 'utf8')) as object);

/** Every n-th item: one in seven keeps the run short and still touches every part of the list. */
const sample = <T>(items: readonly T[], every = 7) => items.filter((_, index) => index % every === 0);

describe('generated bot table', () => {
  it('is what scripts/bots/refresh.mjs produces from the vendored sources', () => {
    // Throws (exit 1, with the stale file's name) when they differ.
    execFileSync(process.execPath, [`${root}scripts/bots/refresh.mjs`, '--check'], { cwd: root, stdio: 'pipe' });
  });

  it('has a row for every source entry, each a pattern that compiles and never matches empty text', () => {
    const rows = readTable(GENERATED_BOTS);
    // Rows our own table always wins over are left out (see ownWords in the script).
    expect(rows.length).toBeGreaterThan(crawlerUserAgents.length * 0.85);
    for (const row of rows) {
      const expression = new RegExp(row.pattern, 'i');
      expect(expression.test(''), row.pattern).toBe(false);
      expect(row.name, row.pattern).not.toBe('');
    }
    for (const pattern of readLines(GENERIC_BOT_PATTERNS)) expect(() => new RegExp(pattern, 'i')).not.toThrow();
  });

  it.each(
    sample(crawlerUserAgents).flatMap((entry) => (entry.instances ?? []).slice(0, 2).map((ua) => [entry.pattern, ua])),
  )('crawler-user-agents %s: %s is a named bot', (pattern, ua) => {
    const result = classifyUserAgent(ua);
    expect(result.isBot).toBe(true);
    expect(result.category).not.toBeNull();
    // The texts the index looks for are in every example the source's pattern matches.
    const literals = requiredLiterals(pattern);
    if (literals !== null && new RegExp(pattern).test(ua)) {
      expect(literals.some((literal) => ua.toLowerCase().includes(literal))).toBe(true);
    }
  });

  it.each(sample(aiRobots, 3))('ai.robots.txt %s is a bot', (name) => {
    expect(classifyUserAgent(`Mozilla/5.0 (compatible; ${name}/1.0)`).isBot).toBe(true);
  });

  it.each([
    // An ai.robots.txt token that is an ordinary word is found only as a product token of its own.
    ['Spider/1.0', 'Spider', 'ai-crawler'],
    ['Mozilla/5.0 (compatible; New-Sogou-Spider/1.0)', 'Sogou', 'search-engine'],
    ['Code/2.0', 'Code', 'ai-agent'],
    // Any other token is found as a word of its own, not inside another (`SLCC2` is not `LCC`).
    ['LCC (+http://corpora.informatik.uni-leipzig.de/crawler_faq.html)', 'LCC', 'crawler'],
    ['Mozilla/5.0 (compatible; CCBot/2.0; +http://commoncrawl.org/faq/)', 'CCBot', 'ai-crawler'],
    // Browser automation, placed by the description: an AI agent, a monitor, else a crawler.
    ['Mozilla/5.0 (Macintosh) Chrome/132.0.0.0 Safari/537.36; Manus-User/1.0', 'Manus-User', 'ai-agent'],
    ['Mozilla/5.0 (X11; Linux x86_64) Chrome/63.0 Safari/537.36 Ghost Inspector', 'Ghost Inspector', 'monitor'],
    ['Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/124.0.0.0 Safari/537.36', 'HeadlessChrome', 'crawler'],
    // An `seo` entry whose description speaks of search.
    ['TinEye-bot/0.02 (see http://www.tineye.com/crawler.html)', 'TinEye', 'search-engine'],
    // Brand and media monitoring reads others' pages: a crawler; a site's own monitoring stays a monitor.
    ['Mozilla/5.0 (compatible; BrandVerity/1.0; http://www.brandverity.com/)', 'BrandVerity', 'crawler'],
    ['Mozilla/5.0+(compatible; MxToolbox/Beta7; http://www.mxtoolbox.com/)', 'MxToolbox', 'monitor'],
    // An `http-library` entry described as a crawler and never as an HTTP client.
    ['larbin_2.6.2 (larbin@example.org)', 'larbin', 'crawler'],
    ['Go-http-client/2.0', 'Go-http-client', 'http-client'],
    // ai.robots.txt's function over a catch-all or automation tag, and over `LinerBot\/` too...
    ['Mozilla/5.0 (compatible; LinerBot/1.0; +https://docs.getliner.com/docs/linerbot)', 'LinerBot', 'ai-assistant'],
    ['Mozilla/5.0 (compatible; NovaAct/1.0)', 'Novaact', 'ai-agent'],
    // ...unless ai.robots.txt says the bot is not known to be AI-related.
    ['Mozilla/5.0 (compatible; WARDBot/1.0; http://ward.ai/robot)', 'WARDBot', 'preview'],
    // A longer ai.robots.txt name keeps its own row beside the operator's general one.
    ['Mozilla/5.0 (compatible; Webzio-Extended/1.0)', 'Webzio-Extended', 'ai-crawler'],
    ['webzio (+https://webz.io/bot.html)', 'webzio', 'crawler'],
    // `Search engine using generative AI, AI Search Assistant`; `research` is not `search`.
    ['Mozilla/5.0 (compatible; Andibot/1.0)', 'Andibot', 'ai-search'],
    ['Poseidon Research Crawler/1.0', 'Poseidon Research Crawler', 'ai-crawler'],
  ])('reads %s as %s, %s', (ua, name, category) => {
    expect(classifyUserAgent(ua)).toMatchObject({ isBot: true, name, category });
  });

  it('lists CIDRs only, several per crawler', () => {
    for (const [list, text] of CRAWLER_RANGES) {
      const cidrs = readRanges(text);
      expect(cidrs.length, list).toBeGreaterThan(0);
      for (const cidr of cidrs) expect(cidr).toMatch(/^[0-9a-f.:]+(?:\/\d{1,3})?$/i);
    }
  });

  it('keeps every vendored address when it merges blocks', () => {
    const inRanges = createCrawlerVerifier();
    for (const [list] of CRAWLER_RANGES) {
      const vendored = readFileSync(`${sources}ip-ranges/${list}.txt`, 'utf8').split(/\s+/).filter(Boolean);
      for (const cidr of vendored) {
        const first = parseIp(cidr.split('/')[0] as string) as ParsedIp;
        expect(inRanges(list, first), `${list} ${cidr}`).toBe(true);
      }
    }
  });
});
