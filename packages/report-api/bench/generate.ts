import type { BotCategory, EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import { classifyUserAgent } from '@watchpost/middleware';
import { createRandom } from '../test/support/random.js';

/** Small deterministic PRNG (the demo's mulberry32) so every run generates the same traffic. */
export function prng(seed: number): () => number {
  return createRandom(seed).next;
}

const COUNTRIES = [
  'JP',
  'JP',
  'JP',
  'JP',
  'US',
  'US',
  'CN',
  'DE',
  'GB',
  'FR',
  'KR',
  'SG',
  'BR',
  'IN',
  'NL',
  'RU',
  'VN',
  'ID',
  'CA',
  'AU',
];
const PATHS = [
  '/',
  '/products',
  '/cart',
  '/checkout',
  '/login',
  '/api/items',
  '/api/cart',
  '/search',
  '/static/app.js',
  '/static/app.css',
];
const PROBES = ['/.env', '/.git/config', '/wp-login.php', '/phpmyadmin/', '/.aws/credentials', '/server-status'];
/** The name the engine gives a bot's user agent (the classifier caches it). */
function nameOf(ua: string): string {
  return classifyUserAgent(ua).name ?? 'unnamed';
}

const UAS: Array<[string, BotCategory | null]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', null],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Version/18.1 Mobile/15E148 Safari/604.1',
    null,
  ],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 ' +
      'Safari/605.1.15',
    null,
  ],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'search-engine'],
  [
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
    'ai-crawler',
  ],
  ['curl/8.5.0', 'http-client'],
  ['Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))', 'scanner'],
];

/** Options of `generateDay`. */
export interface GenerateOptions {
  /** Events in the day. */
  events: number;
  /** Epoch ms of the start of the (UTC) day. */
  dayStart: number;
  /** Distinct client IPs to draw from (skewed: a few IPs send most traffic). */
  ips?: number;
  seed?: number;
  batchSize?: number;
}

/**
 * Yields batches of one day of synthetic traffic, in time order: browsers, bots, a few scanners
 * probing sensitive paths (blocked), some 404s and 5xx, and an error burst every few hours.
 */
export function* generateDay({
  events,
  dayStart,
  ips = 200_000,
  seed = 1,
  batchSize = 1000,
}: GenerateOptions): Generator<EventBatch> {
  const random = prng(seed);
  const step = 86_400_000 / events;
  let batchNo = 0;
  for (let offset = 0; offset < events; offset += batchSize) {
    const list: WatchpostEvent[] = [];
    for (let i = offset; i < Math.min(events, offset + batchSize); i++) {
      const ts = Math.floor(dayStart + i * step);
      const r = random();
      // Skewed IP choice: squaring concentrates traffic on low indices.
      const ipIndex = Math.floor(random() * random() * ips);
      const ip = `10.${(ipIndex >> 16) & 255}.${(ipIndex >> 8) & 255}.${ipIndex & 255}`;
      const country = COUNTRIES[ipIndex % COUNTRIES.length]!;
      const [ua, botCategory] = UAS[ipIndex % 50 === 0 ? 6 : Math.floor(random() * 6)]!;
      // As the engine sends them: a bot's events carry its name.
      const named = botCategory === null ? {} : { botName: nameOf(ua) };
      const inBurst = ts % 10_800_000 < 30_000; // the first 30 s of every third hour
      if (botCategory === 'scanner') {
        list.push({
          ts,
          ip,
          country,
          method: 'GET',
          host: 'shop.example',
          path: PROBES[Math.floor(random() * PROBES.length)]!,
          status: 403,
          latencyMs: 1,
          ua,
          action: 'block',
          rule: 'probe-sensitive-path',
          botCategory: 'scanner',
          sampleRate: 1,
          ...named,
        });
        continue;
      }
      const status = inBurst ? 404 : r < 0.05 ? 404 : r < 0.055 ? 500 : r < 0.1 ? 304 : 200;
      const path = status === 404 ? `/p/${Math.floor(random() * 5000)}` : PATHS[Math.floor(random() * PATHS.length)]!;
      list.push({
        ts,
        ip: inBurst ? '10.255.0.1' : ip,
        country,
        method: 'GET',
        host: 'shop.example',
        path,
        status,
        latencyMs: Math.round(random() * 200),
        ua,
        action: 'allow',
        rule: null,
        botCategory,
        sampleRate: 1,
        ...named,
      });
    }
    yield { batchId: `bench-${seed}-${batchNo++}`, source: 'express', events: list };
  }
}
