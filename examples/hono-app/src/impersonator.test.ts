// A client claiming to be a verified crawler from outside its published addresses, through the real
// Hono app served on a real socket (the middleware reads the client's address from the connection).
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { HonoWatchpostOptions } from '@watchpost/middleware/hono';
import { describe, expect, it } from 'vitest';
import { createExampleApp } from './app.js';

const BINGBOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';

/** Serves the app with these options and sends one request per [user agent, X-Forwarded-For]. */
async function statuses(watchpost: HonoWatchpostOptions, requests: Array<[string, string?]>): Promise<number[]> {
  const { app, protection } = createExampleApp({ watchpost });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/products`;
  try {
    const answers = [];
    for (const [ua, forwardedFor] of requests) {
      const headers: Record<string, string> = { 'user-agent': ua };
      if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
      answers.push((await fetch(url, { headers })).status);
    }
    return answers;
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await protection?.close();
  }
}

describe('example Hono app: crawler impersonators', () => {
  it('refuses Bingbot from outside Bing’s ranges and serves it from inside them', async () => {
    expect(
      await statuses({ trustedProxies: ['loopback'] }, [
        [BINGBOT],
        [BINGBOT, '198.51.100.4'],
        [BINGBOT, '157.55.39.10'],
      ]),
    ).toEqual([403, 403, 200]);
  });

  it('only counts impersonators in count mode', async () => {
    expect(await statuses({ bots: { impersonator: 'count' } }, [[BINGBOT]])).toEqual([200]);
  });
});
