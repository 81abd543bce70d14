import { describe, expect, it } from 'vitest';
import { createExampleApp } from './app.js';

function post(app: ReturnType<typeof createExampleApp>['app'], password: string) {
  return app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password }),
  });
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
});
