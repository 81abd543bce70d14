import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import type { RequestFacts } from '../engine-options.js';
import { parseIp } from '../ip/parse.js';
import { classifyUserAgent } from './classify.js';
import { compileCrawlerVerification } from './verify-claims.js';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const GPTBOT = 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)';
const request = (ua: string, ip: string, extra: Partial<RequestFacts> = {}): RequestFacts => ({
  ip,
  method: 'GET',
  host: 'shop.example',
  path: '/',
  ua,
  country: null,
  ...extra,
});

describe('compileCrawlerVerification', () => {
  const categoryOf = compileCrawlerVerification(classifyUserAgent, {});

  it.each([
    ['Googlebot from Google', GOOGLEBOT, '66.249.66.1', 'search-engine'],
    ['Googlebot from elsewhere', GOOGLEBOT, '203.0.113.9', 'impersonator'],
    ['Googlebot from an IPv4-mapped IPv6 address elsewhere', GOOGLEBOT, '::ffff:203.0.113.9', 'impersonator'],
    ['GPTBot from Google', GPTBOT, '66.249.66.1', 'impersonator'],
    ['a bot without published ranges', 'Mozilla/5.0 (compatible; AhrefsBot/7.0)', '203.0.113.9', 'seo'],
    ['a browser', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0', '203.0.113.9', null],
  ])('%s: %s', (_name, ua, ip, expected) => {
    expect(categoryOf({ ua }, parseIp(ip))).toBe(expected);
  });

  it('cannot check a request without an address, and keeps its category', () => {
    expect(categoryOf({ ua: GOOGLEBOT }, null)).toBe('search-engine');
  });

  it('takes the platform flag as proof unless told not to', () => {
    expect(categoryOf({ ua: GOOGLEBOT, verifiedBot: true }, parseIp('203.0.113.9'))).toBe('search-engine');
    const strict = compileCrawlerVerification(classifyUserAgent, { platformFlag: false });
    expect(strict({ ua: GOOGLEBOT, verifiedBot: true }, parseIp('203.0.113.9'))).toBe('impersonator');
  });

  it('is off with false', () => {
    expect(compileCrawlerVerification(classifyUserAgent, false)({ ua: GOOGLEBOT }, parseIp('203.0.113.9'))).toBe(
      'search-engine',
    );
  });

  it.each([[null], ['yes'], [{ platformFlag: 'yes' }]])('rejects %j', (options) => {
    expect(() => compileCrawlerVerification(classifyUserAgent, options as never)).toThrow(TypeError);
  });
});

describe('createEngine with impersonators', () => {
  it('blocks them by default under rule bot:impersonator, and counts them on request', () => {
    const engine = createEngine();
    expect(engine.decide(request(GOOGLEBOT, '203.0.113.9'))).toMatchObject({
      action: 'block',
      rule: 'bot:impersonator',
      botCategory: 'impersonator',
    });
    expect(engine.decide(request(GOOGLEBOT, '66.249.66.1'))).toMatchObject({
      action: 'allow',
      botCategory: 'search-engine',
    });
    const counting = createEngine({ bots: { impersonator: 'count' } });
    expect(counting.decide(request(GOOGLEBOT, '203.0.113.9'))).toMatchObject({
      action: 'count',
      rule: 'bot:impersonator',
    });
    expect(counting.stats().rules['bot:impersonator']).toBe(1);
  });

  it('lets a platform-verified bot through, and an allow-listed address', () => {
    expect(createEngine().decide(request(GOOGLEBOT, '203.0.113.9', { verifiedBot: true })).action).toBe('allow');
    const allowListed = createEngine({ allowList: ['203.0.113.0/24'] });
    expect(allowListed.decide(request(GOOGLEBOT, '203.0.113.9')).action).toBe('allow');
  });

  it('rejects a bad crawlerVerification option when the engine is built', () => {
    expect(() => createEngine({ crawlerVerification: 'on' as never })).toThrow(/crawlerVerification/);
  });
});
