import { describe, expect, it } from 'vitest';
import { parseIp, type ParsedIp } from '../ip/parse.js';
import { classifyUserAgent } from './classify.js';
import { CRAWLER_RANGES } from './generated/crawler-ranges.js';
import { CLAIMED_CRAWLERS, createCrawlerVerifier } from './verified.js';

const ip = (text: string) => parseIp(text) as ParsedIp;

describe('createCrawlerVerifier', () => {
  const inRanges = createCrawlerVerifier();

  it.each([
    ['googlebot', '66.249.66.1', true],
    ['googlebot', '203.0.113.9', false],
    ['bingbot', '157.55.39.10', true],
    ['bingbot', '66.249.66.1', false],
    ['gptbot', '8.8.8.8', false],
    ['claudebot', '216.73.216.5', true],
  ])('%s from %s: %s', (list, address, expected) => {
    expect(inRanges(list, ip(address))).toBe(expected);
  });

  it('checks IPv6 ranges', () => {
    const text = new Map(CRAWLER_RANGES).get('googlebot') as string;
    const v6 = text.split(/\s+/).find((cidr) => cidr.includes(':')) as string;
    expect(v6).toBeDefined();
    expect(inRanges('googlebot', ip(v6.split('/')[0] as string))).toBe(true);
    expect(inRanges('googlebot', ip('2001:db8::1'))).toBe(false);
  });

  it.each([['no-such-list'], ['__proto__'], ['constructor']])('knows no list %s', (list) => {
    expect(inRanges(list, ip('66.249.66.1'))).toBeNull();
  });

  it('has a list for every claimed crawler, and every claimed name is in the bot table', () => {
    const lists = new Set(CRAWLER_RANGES.map(([list]) => list));
    for (const [name, list] of CLAIMED_CRAWLERS) {
      expect(lists.has(list), list).toBe(true);
      expect(classifyUserAgent(`Mozilla/5.0 (compatible; ${name}/1.0)`).name, name).toBe(name);
    }
  });
});
