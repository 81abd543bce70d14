import { loadGeoLookup } from '@watchpost/middleware/node';
import { describe, expect, it } from 'vitest';
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
      expect(crawlerIp(random, 'googlebot')).toMatch(/^66\.249\.(66|79)\.\d+$/);
    }
  });

  it('has address blocks for every foreign visitor country', () => {
    for (const country of Object.keys(FOREIGN_VISITORS)) expect(COUNTRY_BLOCKS[country]).toBeDefined();
    expect(Object.keys(CRAWLER_BLOCKS)).toEqual(['googlebot', 'bingbot', 'gptbot', 'claudebot']);
  });

  it('refuses a country it has no addresses for', () => {
    expect(() => ipInCountry(createRandom(1), 'ZZ')).toThrow(TypeError);
  });
});
