// Time from a deny through the report API (`POST /v1/denylist`) to the worker refusing that IP, in
// workerd (`wrangler dev`, local KV), for two paths in one run:
//   notice: the report API's edge notifier POSTs /__watchpost/denylist-changed, the worker pulls now;
//   cron:   no notice; the cron trigger fires at each minute boundary (driven through wrangler's
//           /__scheduled, as `* * * * *` would) and the isolate re-reads KV after DENYLIST_TTL_MS.
// Each try denies a fresh IP and polls the worker with it every POLL_MS until it answers 403.
// Run: `WRANGLER_BUILD_CONDITIONS=@watchpost/source,workerd,worker,browser \
//   npx tsx --conditions=@watchpost/source bench/denylist-notice.ts`
// Knobs: BENCH_NOTICE_TRIES (default 25), BENCH_CRON_TRIES (default 20, spread over BENCH_CRON_SPREAD_S
// seconds, default 120), BENCH_POLL_MS (default 20).
import { createEdgeNotifier } from '@watchpost/report-api';
import { startReportApi } from '../test/support/report-api.js';
import { close, listen, startOrigin } from '../test/support/servers.js';
import { startWranglerDev } from '../test/support/wrangler-dev.js';

const NOTICE_TRIES = Number(process.env.BENCH_NOTICE_TRIES ?? 25);
const CRON_TRIES = Number(process.env.BENCH_CRON_TRIES ?? 20);
const CRON_SPREAD_S = Number(process.env.BENCH_CRON_SPREAD_S ?? 120);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 20);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(name: string, times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const f = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
  const min = sorted[0] ?? Number.NaN;
  const max = sorted.at(-1) ?? Number.NaN;
  return `${name.padEnd(7)} n=${sorted.length}  p50 ${f(percentile(sorted, 50))}  p99 ${f(
    percentile(sorted, 99),
  )}  min ${f(min)}  max ${f(max)}`;
}

const origin = startOrigin();
const originUrl = await listen(origin.server);
const api = await startReportApi({ denied: [] });
const dev = await startWranglerDev({
  vars: { ORIGIN_URL: originUrl, REPORT_API_URL: api.url, INGEST_KEY: api.ingestKey, EVENTS_FLUSH_MS: '0' },
  cf: { country: 'JP', asn: 64500 },
});

async function status(ip: string): Promise<number> {
  // wrangler dev rebuilds when a source file changes (others edit the engine on this machine) and
  // closes open connections: retry, and count the reloads in its output at the end.
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${dev.url}/`, {
        headers: { 'cf-connecting-ip': ip, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' },
      });
      await response.arrayBuffer();
      return response.status;
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(250);
    }
  }
}

/** Denies `ip` through the API and answers the ms until the worker refuses it. */
async function denyAndWait(ip: string, limitMs: number): Promise<number> {
  if ((await status(ip)) !== 200) throw new Error(`${ip} refused before its deny`);
  const started = performance.now();
  const added = await fetch(`${api.url}/v1/denylist`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ value: ip, reason: 'bench' }),
  });
  if (added.status !== 201) throw new Error(`deny answered ${added.status}`);
  while (performance.now() - started < limitMs) {
    if ((await status(ip)) === 403) return performance.now() - started;
    await sleep(POLL_MS);
  }
  throw new Error(`${ip} still served ${limitMs} ms after its deny`);
}

try {
  // Prime KV and the isolate's copy, as the cron would have long before.
  await fetch(`${dev.url}/__scheduled?cron=*+*+*+*+*`);
  await status('192.0.2.1');

  const notifier = createEdgeNotifier({
    targets: new Map([[api.siteId, { urls: [dev.url], ingestKey: api.ingestKey }]]),
  });
  api.setOnDenyListChange(notifier.notify);
  const notice: number[] = [];
  for (let i = 0; i < NOTICE_TRIES; i++) {
    notice.push(await denyAndWait(`198.51.100.${i + 1}`, 120_000));
    // Past the worker's notice budget (10 per 10 s), a notice is refused and the cron path takes over.
    await sleep(1_100);
  }
  await notifier.idle();
  console.log(summary('notice', notice), ` notifier ${JSON.stringify(notifier.stats())}`);

  // Cron only: tries start at random moments; a minute-aligned timer fires the cron.
  api.setOnDenyListChange(null);
  let stop = false;
  const cron = (async () => {
    while (!stop) {
      await sleep(60_000 - (Date.now() % 60_000));
      if (!stop) await fetch(`${dev.url}/__scheduled?cron=*+*+*+*+*`).then((r) => r.arrayBuffer());
    }
  })();
  const cronTimes = await Promise.all(
    Array.from({ length: CRON_TRIES }, async (_, i) => {
      await sleep(Math.random() * CRON_SPREAD_S * 1000);
      return denyAndWait(`203.0.113.${i + 1}`, 180_000);
    }),
  );
  stop = true;
  console.log(summary('cron', cronTimes), ' (DENYLIST_TTL_MS 30000, cron every minute)');
  const reloads = dev.output().match(/reload/gi)?.length ?? 0;
  console.log(`wrangler dev reload messages during the run: ${reloads}`);
  void cron;
} finally {
  await dev.stop();
  await close(origin.server);
  await api.stop();
}
