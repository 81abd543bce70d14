/**
 * The traffic and the two engines of the rate-rules + logins benchmark, shared by the timing run
 * and the callgrind run. Both engines see the same requests, statuses and login reports; only the
 * `on` engine has rate rules and login monitoring. Limits are set so that nothing fires: what is
 * measured is the counting every request pays (a refused request costs an event, like any refusal).
 */
import { createEngine, type Engine, type LoginReport, type RateRule, type RequestFacts } from '../src/index.js';
import { formatIp, parseIp } from '../src/core/ip/parse.js';
import { CHROME_UA, clientIps } from './fixtures.js';

/**
 * The text as an HTTP parser gives it: one flat string. (A template literal gives a rope of two
 * pieces, which V8 reads character by character far more slowly than any request's path.)
 */
function flat(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/**
 * 1 024 requests from 461 clients (a fifth IPv6, all in distinct /64s), 2% of them POST /login. Each
 * carries its address parsed, and as canonical text, as the adapters' client resolver gives them.
 */
export const requests: RequestFacts[] = clientIps(1_024).map((ip, i) => ({
  ip: formatIp(parseIp(ip)!),
  parsedIp: parseIp(ip),
  method: i % 50 === 0 ? 'POST' : 'GET',
  host: 'shop.example',
  path: flat(i % 50 === 0 ? '/login' : i % 10 === 3 ? `/products/${i}?ref=home` : `/products/${i}`),
  ua: CHROME_UA,
  country: 'JP',
}));

/** What the app reports for a login request: two failures in three, 13 accounts; nothing otherwise. */
export const logins: readonly (LoginReport | undefined)[] = requests.map((req, i) =>
  req.method === 'POST'
    ? { outcome: i % 3 === 0 ? 'success' : 'failed', account: `user${i % 13}@example.com` }
    : undefined,
);

/** Five rules of every shape: all clients, ip+path, path prefixes and a RegExp, method + path, bot categories. */
export const rateRules: readonly RateRule[] = [
  { name: 'any-client', limit: 1_000_000, windowMs: 60_000, action: 'count' },
  { name: 'per-path', limit: 1_000_000, windowMs: 60_000, key: 'ip+path' },
  { name: 'api', limit: 1_000_000, windowMs: 10_000, match: { paths: ['/api/', /^\/v\d+\//] } },
  { name: 'login', limit: 1_000_000, windowMs: 600_000, match: { methods: ['POST'], paths: ['/login'] } },
  { name: 'crawlers', limit: 1_000_000, windowMs: 60_000, match: { botCategories: ['crawler', 'ai-crawler'] } },
];

const never = { limit: 100_000, windowMs: 600_000 };
const nothing = { push: () => {}, flush: async () => {}, close: async () => {} };

/** The engine without (`off`) or with (`on`) 5 rate rules and login monitoring (every detection on). */
export function benchEngine(which: 'on' | 'off'): Engine {
  if (which === 'off') return createEngine({ sampleRate: 0.1, sink: nothing });
  return createEngine({
    sampleRate: 0.1,
    sink: nothing,
    rateRules,
    logins: {
      endpoints: [{ method: 'POST', path: '/login' }],
      accountKey: 'bench-site-key-0123456789',
      bruteForce: never,
      stuffing: never,
      spraying: never,
      compromised: never,
    },
  });
}

/**
 * Runs requests `from`..`to` (indexes into the endless stream) through `engine`: decide, then
 * observe. Each request gets its arrival time as the adapters give it (`performance.now()`, which
 * they read for the latency whatever the options), for both engines alike.
 */
export function run(engine: Engine, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const req = requests[i & 1023]!;
    req.receivedAt = performance.now();
    engine.observe(req, engine.decide(req), 200, 1, logins[i & 1023]);
  }
}
