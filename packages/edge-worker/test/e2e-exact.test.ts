// End to end with `--env exact`: events go through a (local) Cloudflare Queue and the worker's own
// queue consumer forwards them to the real report API; the bursts Durable Object is bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startReportApi } from './support/report-api.js';
import { startOrigin } from './support/servers.js';
import { startEdgeStack, type EdgeStack } from './support/stack.js';
import { until } from './support/until.js';
import { READY_PATH, type WranglerDev } from './support/wrangler-dev.js';

const origin = startOrigin();
let reportApi: Awaited<ReturnType<typeof startReportApi>> | undefined;
let dev: WranglerDev | undefined;
let stack: EdgeStack | undefined;

async function send(
  path: string,
  ip: string,
  ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
) {
  const response = await fetch(`${dev!.url}${path}`, {
    headers: { 'cf-connecting-ip': ip, 'user-agent': ua },
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  stack = await startEdgeStack({
    origin: origin.server,
    env: 'exact',
    vars: {
      BURST_THRESHOLD: '2',
    },
    cf: { country: 'DE', asn: 64501 },
  });
  ({ reportApi, dev } = stack);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe('wrangler dev --env exact (Queue + Durable Object)', () => {
  it('bans a client after a burst of 404s (threshold 2)', async () => {
    const ip = '192.0.2.77';
    expect([await send('/teapot', ip), await send('/teapot', ip), await send('/teapot', ip)]).toEqual([418, 418, 418]);
    expect(await send('/', ip)).toBe(403);
    expect(await send('/', '192.0.2.78')).toBe(200);
  });

  it('delivers events through the queue and its consumer', async () => {
    const events = await until(
      'five events delivered through the queue',
      async () => {
        const found = (await reportApi!.events()).filter((event) => event.path !== READY_PATH);
        return found.length >= 5 ? found : undefined;
      },
      { timeoutMs: 20_000, details: () => dev?.output() ?? '' },
    );
    expect(events.map((event) => [event.ip, event.path, event.status, event.action])).toEqual([
      ['192.0.2.77', '/teapot', 418, 'allow'],
      ['192.0.2.77', '/teapot', 418, 'allow'],
      ['192.0.2.77', '/teapot', 418, 'allow'],
      ['192.0.2.77', '/', 403, 'block'],
      ['192.0.2.78', '/', 200, 'allow'],
    ]);
    expect(events[0]).toMatchObject({ country: 'DE', asn: 64501 });
    expect(reportApi!.requests.filter((request) => request.path === '/v1/events').every((r) => r.status === 202)).toBe(
      true,
    );
  });
});
