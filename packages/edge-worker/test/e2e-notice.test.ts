// End to end in workerd (`wrangler dev`): a deny added through the real report API reaches the worker
// through the report API's edge notifier (`POST /__watchpost/denylist-changed`), not the cron, and
// the worker refuses the IP within seconds; the notice path never reaches the origin.
import { createEdgeNotifier } from '@watchpost/report-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startReportApi } from './support/report-api.js';
import { startOrigin } from './support/servers.js';
import { startEdgeStack, type EdgeStack } from './support/stack.js';
import { until } from './support/until.js';
import type { WranglerDev } from './support/wrangler-dev.js';

const origin = startOrigin();
let reportApi: Awaited<ReturnType<typeof startReportApi>> | undefined;
let dev: WranglerDev | undefined;
let stack: EdgeStack | undefined;

async function status(ip: string) {
  const response = await fetch(`${dev!.url}/`, {
    headers: { 'cf-connecting-ip': ip, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' },
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  stack = await startEdgeStack({
    origin: origin.server,
    vars: {
      // An hour: without the notice, the isolate would not re-read KV during this test.
      DENYLIST_TTL_MS: '3600000',
    },
    cf: { country: 'JP', asn: 64500 },
  });
  ({ reportApi, dev } = stack);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('deny-list notice (wrangler dev)', () => {
  it('refuses an IP within seconds of its deny through the API, without a cron run', async () => {
    const ip = '198.51.100.77';
    expect(await status(ip)).toBe(200);
    const notifier = createEdgeNotifier({
      targets: new Map([[reportApi!.siteId, { urls: [dev!.url], ingestKey: reportApi!.ingestKey }]]),
    });
    reportApi!.setOnDenyListChange(notifier.notify);
    const started = Date.now();
    const added = await fetch(`${reportApi!.url}/v1/denylist`, {
      method: 'POST',
      headers: { authorization: `Bearer ${reportApi!.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value: ip, reason: 'e2e' }),
    });
    expect(added.status).toBe(201);
    await until('the IP refused', async () => ((await status(ip)) === 403 ? true : undefined), {
      timeoutMs: 5_000,
      details: () => dev?.output() ?? '',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    await notifier.idle();
    expect(notifier.stats()).toMatchObject({ sent: 1, failed: 0 });
    expect(await status('198.51.100.78')).toBe(200);
  });

  it('answers the notice path itself: a wrong key is 401 and nothing reaches the origin', async () => {
    const before = origin.seen.length;
    const wrong = await fetch(`${dev!.url}/__watchpost/denylist-changed`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-key' },
    });
    expect(wrong.status).toBe(401);
    const get = await fetch(`${dev!.url}/__watchpost/denylist-changed`);
    expect(get.status).toBe(405);
    expect(origin.seen.length).toBe(before);
  });
});
