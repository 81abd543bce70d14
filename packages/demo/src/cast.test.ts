import { loadGeoLookup } from '@watchpost/middleware/node';
import { describe, expect, it } from 'vitest';
import { createEngine } from '@watchpost/middleware';
import { COUNTRY_BLOCKS, CRAWLER_BLOCKS, crawlerIp, FOREIGN_VISITORS, ipInCountry } from './cast.js';
import { createRandom } from './random.js';

// The demo's countries only show up in reports if the middleware's own GeoIP table agrees.
const geo = loadGeoLookup({ warn: () => {} });

describe('the cast of the demo', () => {
  it.each(Object.entries(COUNTRY_BLOCKS))(
    'every address block of %s maps to it in the GeoIP table',
    (country, blocks) => {
      for (const block of blocks) {
        for (const suffix of ['0.1', '64.77', '128.200', '255.254']) {
          expect(geo(`${block}.${suffix}`), `${block}.${suffix}`).toBe(country);
        }
      }
    },
  );

  it('draws addresses from the right blocks', () => {
    const random = createRandom(3);
    for (let i = 0; i < 200; i++) {
      expect(geo(ipInCountry(random, 'JP'))).toBe('JP');
      expect(crawlerIp(random, 'googlebot')).toMatch(/^66\.249\.(66|69)\.\d+$/);
    }
  });

  it('has address blocks for every foreign visitor country', () => {
    for (const country of Object.keys(FOREIGN_VISITORS)) expect(COUNTRY_BLOCKS[country]).toBeDefined();
    expect(Object.keys(CRAWLER_BLOCKS)).toEqual(['googlebot', 'bingbot', 'gptbot', 'claudebot']);
  });

  it('sends its crawlers only from addresses their operators publish (never taken for impersonators)', () => {
    const engine = createEngine({});
    const agents = {
      googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      gptbot: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
      claudebot:
        'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
    } as const;
    for (const [crawler, blocks] of Object.entries(CRAWLER_BLOCKS) as Array<[keyof typeof agents, readonly string[]]>) {
      for (const block of blocks) {
        for (let last = 1; last <= 254; last++) {
          const ip = `${block}.${last}`;
          const decision = engine.decide({
            ip,
            method: 'GET',
            host: 'shop.example',
            path: '/',
            ua: agents[crawler],
            country: 'US',
          });
          if (decision.botCategory === 'impersonator')
            throw new Error(`${crawler} from ${ip} is taken for an impersonator`);
        }
      }
    }
  });

  it('refuses a country it has no addresses for', () => {
    expect(() => ipInCountry(createRandom(1), 'ZZ')).toThrow(TypeError);
  });
});
