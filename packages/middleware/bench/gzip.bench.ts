/**
 * How the forwarder compresses a batch: bytes and CPU per 1,000-event batch for the Web
 * `CompressionStream` (level fixed at zlib's default, 6: what workerd uses) and for `node:zlib`
 * at levels 1 (what `gzip()` uses on Node) and 6, in the same run. The batch is what the
 * forwarder sends: events of mixed clients, paths, statuses and user agents, as JSON.
 * Run: npx tsx bench/gzip.bench.ts   (ROUNDS to tune)
 */
import { gzip as nodeGzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { WatchpostEvent } from '../src/protocol/index.js';
import { CHROME_UA, clientIps, median, seeded } from './fixtures.js';

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const gzipAsync = promisify(nodeGzip);
const random = seeded(5);
const ips = clientIps(300);
const uas = [
  CHROME_UA,
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 ' +
    'Mobile/15E148 Safari/604.1',
  'curl/8.5.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'sqlmap/1.8#stable (https://sqlmap.org)',
];
const paths = ['/', '/products/42', '/cart', '/api/search', '/.env', '/wp-login.php', '/static/app.js', '/login'];

const events: WatchpostEvent[] = Array.from({ length: 1_000 }, (_, i) => {
  const ua = uas[Math.floor(random() * random() * uas.length)]!;
  const status = random() < 0.8 ? 200 : random() < 0.7 ? 404 : 500;
  return {
    ts: 1_790_000_000_000 + i * 97,
    ip: ips[Math.floor(random() * ips.length)]!,
    country: random() < 0.5 ? 'JP' : 'US',
    method: 'GET',
    host: 'shop.example',
    path: random() < 0.5 ? `/products/${Math.floor(random() * 5000)}` : paths[Math.floor(random() * paths.length)]!,
    status,
    latencyMs: Math.round(random() * 80_000) / 1000,
    ua,
    action: status === 200 ? 'allow' : 'count',
    rule: null,
    botCategory: null,
    sampleRate: status === 200 ? 0.1 : 1,
  };
});
const json = JSON.stringify({ batchId: crypto.randomUUID(), source: 'hono', sentAt: Date.now(), events });

async function viaStream(text: string): Promise<number> {
  const reader = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip')).getReader();
  let bytes = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
  return bytes;
}

const variants: Record<string, () => Promise<number>> = {
  'CompressionStream (level 6)': () => viaStream(json),
  'node:zlib level 1 (gzip())': async () => (await gzipAsync(json, { level: 1 })).byteLength,
  'node:zlib level 6': async () => (await gzipAsync(json, { level: 6 })).byteLength,
};

const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const bytes: Record<string, number> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(variants)) {
    // CPU time of the whole process: the thread-pool work of node:zlib counts too.
    const before = process.cpuUsage();
    bytes[name] = await run();
    const used = process.cpuUsage(before);
    cpu[name]!.push((used.user + used.system) / 1_000);
  }
}

const base = median(cpu['CompressionStream (level 6)']!.slice(ROUNDS / 4));
console.log(
  `gzip of one 1,000-event batch (${(json.length / 1024).toFixed(0)} KiB of JSON), median of ${ROUNDS} rounds, ` +
    `first quarter dropped`,
);
for (const [name, values] of Object.entries(cpu)) {
  const ms = median(values.slice(ROUNDS / 4));
  console.log(
    `${name.padEnd(30)} ${(bytes[name]! / 1024).toFixed(1).padStart(6)} KiB ` +
      `(${((1 - bytes[name]! / json.length) * 100).toFixed(1)}% smaller)   CPU ${ms.toFixed(2)} ms   ratio to ` +
      `CompressionStream ${(ms / base).toFixed(2)}`,
  );
}
