import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { createExampleApp, exampleRateRules } from './app.js';

function post(app: ReturnType<typeof createExampleApp>['app'], password: string) {
  return app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password }),
  });
}

/**
 * Serves the app on 127.0.0.1 (a real socket, so the middleware knows the client's address, which
 * per-client rules need) and sends `failures` failed logins, then one with the right password.
 */
async function loginsOverHttp(app: ReturnType<typeof createExampleApp>['app'], failures: number) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = (password: string) =>
    fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password }),
    });
  try {
    const statuses = [];
    for (let i = 0; i < failures; i++) statuses.push((await send(`guess-${i}`)).status);
    const last = await send('demo');
    const products = (await fetch(`${base}/products/2`)).status;
    return { statuses, last, products };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('example Hono app', () => {
  it.each([
    ['/', 200],
    ['/robots.txt', 200],
    ['/products', 200],
    ['/products/1', 200],
    ['/products/0', 404],
    ['/wp-admin/', 404],
  ])('GET %s answers %i', async (path, status) => {
    const { app } = createExampleApp();
    expect((await app.request(path)).status).toBe(status);
  });

  it('logs in demo/demo, refuses a wrong password and a body that is not JSON', async () => {
    const { app } = createExampleApp();
    expect((await post(app, 'demo')).status).toBe(200);
    expect((await post(app, 'wrong')).status).toBe(401);
    expect((await app.request('/login', { method: 'POST', body: 'user=demo' })).status).toBe(401);
  });

  it('answers 500 on every route while failing', async () => {
    let failing = true;
    const { app } = createExampleApp({ failing: () => failing });
    expect((await app.request('/')).status).toBe(500);
    failing = false;
    expect((await app.request('/')).status).toBe(200);
  });

  it('with Watchpost in front, probes and scanners get 403 and pages still work', async () => {
    const { app, protection } = createExampleApp({ watchpost: {} });
    try {
      expect((await app.request('/.git/config')).status).toBe(403);
      expect(
        (await app.request('/', { headers: { 'user-agent': 'sqlmap/1.8.11#stable (https://sqlmap.org)' } })).status,
      ).toBe(403);
      expect((await app.request('/products/2')).status).toBe(200);
    } finally {
      await protection?.close();
    }
  });

  it('answers the 11th login post of a minute 429 with Retry-After (rate rule login-posts)', async () => {
    const { app, protection } = createExampleApp({ watchpost: { rateRules: exampleRateRules } });
    try {
      const { statuses, last, products } = await loginsOverHttp(app, 10);
      expect(statuses).toEqual(Array(10).fill(401));
      expect(last.status).toBe(429);
      expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(products).toBe(200); // only what the rule matches
    } finally {
      await protection?.close();
    }
  });

  it('refuses repeated failures for one account (login:brute-force), as the app reports them', async () => {
    const logins = { accountKey: 'example-account-key-0123', bruteForce: { limit: 3, windowMs: 60_000 } };
    const { app, protection } = createExampleApp({ watchpost: { logins } });
    try {
      const { statuses, last } = await loginsOverHttp(app, 3);
      expect(statuses).toEqual([401, 401, 401]);
      expect(last.status).toBe(403);
    } finally {
      await protection?.close();
    }
  });
});
