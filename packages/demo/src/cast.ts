import type { Random } from './random.js';

/**
 * Who plays in the demo day: where browsers come from and what every kind of client sends.
 * The address blocks were chosen so that the middleware's offline GeoIP table
 * (`@ip-location-db/geo-whois-asn-country`) maps every address of them to the country named here;
 * `cast.test.ts` checks that against the table itself.
 */

/** IPv4 /16 blocks (`a.b`) per country, all inside that country's registrations. */
export const COUNTRY_BLOCKS: Readonly<Record<string, readonly string[]>> = {
  JP: ['126.10', '126.35', '133.5', '153.120', '210.130', '219.100', '60.32', '114.160', '180.12'],
  US: ['24.10', '73.50', '98.210', '71.190', '108.20', '174.62'],
  DE: ['91.10', '84.130', '79.200', '93.220'],
  GB: ['86.10', '90.200'],
  KR: ['121.130', '211.234', '175.200'],
  FR: ['82.64', '90.10', '86.200'],
  BR: ['177.20', '187.10', '191.10'],
  IN: ['117.200', '49.36', '106.200'],
  TW: ['1.160', '114.32', '36.224'],
  SG: ['116.86', '118.200'],
  VN: ['113.160', '14.160'],
  RU: ['95.24', '5.18'],
  CN: ['36.110', '116.1', '61.135'],
  NL: ['77.160', '145.100', '84.80'],
};

/** Where the foreign share of human visitors comes from (relative weights). */
export const FOREIGN_VISITORS: Readonly<Record<string, number>> = {
  US: 30,
  KR: 14,
  TW: 12,
  DE: 9,
  GB: 8,
  FR: 7,
  SG: 6,
  IN: 6,
  BR: 5,
  VN: 3,
};

/** Real crawler address blocks (`a.b.c`, /24), as the operators publish them. */
export const CRAWLER_BLOCKS = {
  googlebot: ['66.249.66', '66.249.69'],
  bingbot: ['157.55.39', '40.77.167', '207.46.13'],
  gptbot: ['20.171.207', '52.230.152'],
  claudebot: ['216.73.216'],
} as const;

/** User agents by kind of client. */
export const USER_AGENTS = {
  browsers: [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 ' +
      'Safari/605.1.15',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Version/18.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile ' +
      'Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 ' +
      'Safari/537.36 Edg/131.0.0.0',
  ],
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  gptbot: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  claudebot: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
  sqlmap: 'sqlmap/1.8.11#stable (https://sqlmap.org)',
  nuclei: 'Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))',
  scraper: 'python-requests/2.32.3',
  stuffing:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36',
} as const;

/** Paths a vulnerability scanner asks for; most are on the middleware's default probe list. */
export const PROBE_PATHS: readonly string[] = [
  '/.env',
  '/.git/config',
  '/wp-login.php',
  '/wp-admin/setup-config.php',
  '/phpmyadmin/index.php',
  '/.aws/credentials',
  '/config.php',
  '/server-status',
  '/.DS_Store',
  '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/api/.env',
  '/backup.sql',
  '/admin/.env',
  '/xmlrpc.php',
  '/.git/HEAD',
  '/cgi-bin/luci',
];

/**
 * A random address in one of the country's blocks.
 *
 * @example
 * ipInCountry(createRandom(1), 'JP'); // e.g. '126.35.18.201'
 */
export function ipInCountry(random: Random, country: string): string {
  const blocks = COUNTRY_BLOCKS[country];
  if (!blocks) throw new TypeError(`no address blocks for country ${JSON.stringify(country)}`);
  return `${random.pick(blocks)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

/**
 * A random address of a known crawler.
 *
 * @example
 * crawlerIp(createRandom(1), 'googlebot'); // e.g. '66.249.66.17'
 */
export function crawlerIp(random: Random, crawler: keyof typeof CRAWLER_BLOCKS): string {
  return `${random.pick(CRAWLER_BLOCKS[crawler])}.${random.int(1, 254)}`;
}
