/**
 * Benchmark: decide + observe with 5 rate rules and login monitoring on, against the same engine
 * without them, in the same run (alternating rounds), median ns per request; then the memory the
 * rate counters hold after 1 million distinct clients (bounded by maxClients). Target: <= 150 ns added.
 * Run: npx tsx --conditions=@watchpost/source bench/rate-logins.bench.ts
 */
import { createEngine, type RateRule, type RequestFacts } from '../src/index.js';
import { CHROME_UA, clientIps, median } from './fixtures.js';

const BATCH = 5_000;
const ROUNDS = Number(process.env.ROUNDS ?? 120);
const CLIENTS = Number(process.env.CLIENTS ?? 1_000_000);

const ips = clientIps(1_024);
const requests: RequestFacts[] = ips.map((ip, i) => ({
  ip,
  method: i % 50 === 0 ? 'POST' : 'GET',
  host: 'shop.example',
  path: i % 50 === 0 ? '/login' : `/products/${i}`,
  ua: CHROME_UA,
  country: 'JP',
}));

const rateRules: RateRule[] = [
  { name: 'any-client', limit: 1_000_000, windowMs: 60_000, action: 'count' },
  { name: 'per-path', limit: 1_000_000, windowMs: 60_000, key: 'ip+path' },
  { name: 'api', limit: 1_000_000, windowMs: 10_000, match: { paths: ['/api/', /^\/v\d+\//] } },
  { name: 'login', limit: 1_000_000, windowMs: 600_000, match: { methods: ['POST'], paths: ['/login'] } },
  { name: 'crawlers', limit: 1_000_000, windowMs: 60_000, match: { botCategories: ['crawler', 'ai-crawler'] } },
];
const nothing = { push: () => {}, flush: async () => {}, close: async () => {} };
const off = createEngine({ sampleRate: 0.1, sink: nothing });
const on = createEngine({
  sampleRate: 0.1,
  sink: nothing,
  rateRules,
  logins: { endpoints: [{ method: 'POST', path: '/login' }], accountKey: 'bench-site-key-0123456789' },
});

const variants: Record<string, (req: RequestFacts, i: number) => void> = {
  'decide + observe, no rate rules or logins': (req) => off.observe(req, off.decide(req), 200, 1),
  'decide + observe, 5 rate rules + logins': (req, i) =>
    on.observe(req, on.decide(req), req.method === 'POST' ? (i % 3 === 0 ? 200 : 401) : 200, 1),
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(variants)) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) run(requests[i & 1023]!, i);
    samples[name]!.push(Number(process.hrtime.bigint() - start) / BATCH);
  }
}
const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v.slice(10))]));
for (const [name, ns] of Object.entries(medians)) console.log(`${name.padEnd(48)} ${ns.toFixed(0).padStart(6)} ns`);
const [without, withRules] = Object.values(medians) as [number, number];
console.log(`added per request: ${(withRules - without).toFixed(0)} ns (target <= 150 ns)`);

// Memory: 1M distinct clients through one 'ip' rule capped at 100 000 counters.
globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
const memory = createEngine({ rateRules: [{ name: 'per-ip', limit: 1_000, windowMs: 60_000 }] });
const facts: RequestFacts = { ip: '', method: 'GET', host: 'h', path: '/', ua: CHROME_UA, country: null };
for (let i = 0; i < CLIENTS; i++) {
  facts.ip = `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
  memory.decide(facts);
}
globalThis.gc?.();
const held = process.memoryUsage().heapUsed - before;
const { rate } = memory.stats();
console.log(
  `${CLIENTS} clients: ${rate?.countersHeld} counters held, ${rate?.evictions} evicted, ` +
    `heap +${(held / 1048576).toFixed(1)} MiB (${(held / (rate?.countersHeld ?? 1)).toFixed(0)} B per counter)`,
);
