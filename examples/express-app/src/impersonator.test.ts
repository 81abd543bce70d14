// A client claiming to be a verified crawler from outside its published addresses, through the real
// Express app on a real socket: the client is 127.0.0.1, or the X-Forwarded-For of a trusted proxy.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WatchpostOptions } from '@watchpost/middleware/express';
import { afterEach, describe, expect, it } from 'vitest';
import { createExampleApp } from './app.js';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const GPTBOT = 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)';

const running: Array<{ server: Server; close?: () => Promise<void> }> = [];
afterEach(async () => {
  for (const { server, close } of running.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
    await close?.();
  }
});

async function start(watchpost: WatchpostOptions): Promise<string> {
  const { app, protection } = createExampleApp({ watchpost });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  running.push({ server, close: protection?.close });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/products`;
}

const get = (url: string, ua: string, forwardedFor?: string) =>
  fetch(url, { headers: { 'user-agent': ua, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } });

describe('example Express app: crawler impersonators', () => {
  it('refuses Googlebot from an address outside Google’s ranges, and serves it from inside them', async () => {
    const url = await start({ trustedProxies: ['loopback'] });
    expect((await get(url, GOOGLEBOT)).status).toBe(403);
    expect((await get(url, GOOGLEBOT, '203.0.113.9')).status).toBe(403);
    expect((await get(url, GOOGLEBOT, '66.249.66.1')).status).toBe(200);
    expect((await get(url, GPTBOT, '66.249.66.1')).status).toBe(403);
    expect((await get(url, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0', '203.0.113.9')).status).toBe(200);
  });

  it('only counts impersonators in count mode, and lets them by with the check off', async () => {
    expect((await get(await start({ bots: { impersonator: 'count' } }), GOOGLEBOT)).status).toBe(200);
    expect((await get(await start({ crawlerVerification: false }), GOOGLEBOT)).status).toBe(200);
  });
});
