import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createExampleApp, exampleRateRules, type ExampleAppOptions } from './app.js';

const running: Array<{ server: Server; close?: () => Promise<void> }> = [];
afterEach(async () => {
  for (const { server, close } of running.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
    await close?.();
  }
});

async function start(options: ExampleAppOptions = {}): Promise<string> {
  const { app, protection } = createExampleApp(options);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  running.push({ server, close: protection?.close });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const login = (base: string, password: string) =>
  fetch(`${base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password }),
  });

describe('example Express app', () => {
  it.each([
    ['/', 200],
    ['/robots.txt', 200],
    ['/products', 200],
    ['/products/48', 200],
    ['/products/49', 404],
    ['/nowhere', 404],
  ])('GET %s answers %i', async (path, status) => {
    const base = await start();
    expect((await fetch(base + path)).status).toBe(status);
  });

  it('logs in demo/demo and refuses a wrong password', async () => {
    const base = await start();
    expect((await login(base, 'demo')).status).toBe(200);
    expect((await login(base, 'nope')).status).toBe(401);
  });

  it('answers 500 on every route while failing', async () => {
    let failing = true;
    const base = await start({ failing: () => failing });
    expect((await fetch(`${base}/products/1`)).status).toBe(500);
    failing = false;
    expect((await fetch(`${base}/products/1`)).status).toBe(200);
  });

  it('with Watchpost in front, probes and scanners get 403 and pages still work', async () => {
    const base = await start({ watchpost: {} });
    expect((await fetch(`${base}/.env`)).status).toBe(403);
    expect(
      (await fetch(`${base}/products`, { headers: { 'user-agent': 'sqlmap/1.8.11#stable (https://sqlmap.org)' } }))
        .status,
    ).toBe(403);
    expect(
      (await fetch(`${base}/products`, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0' } }))
        .status,
    ).toBe(200);
  });

  it('with Watchpost in front, a client that keeps failing to log in gets banned', async () => {
    const base = await start({ watchpost: { bans: { threshold: 5, windowMs: 60_000, banMs: 60_000 } } });
    // Banned once its errors exceed the threshold: the sixth 401 in the window.
    for (let i = 0; i < 6; i++) expect((await login(base, `guess-${i}`)).status).toBe(401);
    expect((await fetch(`${base}/`)).status).toBe(403);
  });

  it('answers the 11th login post of a minute 429 with Retry-After (rate rule login-posts)', async () => {
    const base = await start({ watchpost: { rateRules: exampleRateRules } });
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await login(base, `guess-${i}`)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const refused = await login(base, 'demo');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(base, 'demo')).status).toBe(429); // still refused: the rule bans for its window
    expect((await fetch(`${base}/products`)).status).toBe(200); // only what the rule matches
  });

  it('refuses repeated failures for one account (login:brute-force), as the app reports them', async () => {
    const base = await start({
      watchpost: { logins: { accountKey: 'example-account-key-0123', bruteForce: { limit: 3, windowMs: 60_000 } } },
    });
    for (let i = 0; i < 3; i++) expect((await login(base, `guess-${i}`)).status).toBe(401);
    expect((await login(base, 'demo')).status).toBe(403);
  });
});
