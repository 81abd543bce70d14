import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { createAdaptorServer } from '@hono/node-server';
import { createExampleApp as createExpressApp } from '@watchpost/example-express';
import { createExampleApp as createHonoApp } from '@watchpost/example-hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReportApi } from '../poison/harness.js';
import { createContract, readAnswer, type Answer, type Contract, type OpenApiDocument } from './contract.js';

// Real batches: an Express app and a Hono app (on @hono/node-server) behind the real middleware and
// forwarder, posting to a real report API.
// A fetch wrapper copies each POST /v1/events body (gunzipped) and answer before the test checks them.
let api: Awaited<ReturnType<typeof startReportApi>>;
let contract: Contract;
const batches: Array<{ body: unknown; answer: Answer }> = [];

const capturingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = String(input instanceof Request ? input.url : input);
  if (init?.method === 'POST' && url.endsWith('/v1/events')) {
    const raw = Buffer.from(init.body as Uint8Array);
    const encoded = new Headers(init.headers).get('content-encoding') === 'gzip';
    const body = JSON.parse((encoded ? gunzipSync(raw) : raw).toString('utf8')) as unknown;
    batches.push({ body, answer: await readAnswer(res.clone()) });
  }
  return res;
};

beforeAll(async () => {
  api = await startReportApi();
  contract = createContract((await (await fetch(`${api.url}/openapi.json`)).json()) as OpenApiDocument);
  const watchpost = {
    reportApi: { url: api.url, ingestKey: api.site.ingestKey, fetch: capturingFetch, syncIntervalMs: 60_000 },
    trustedProxies: ['loopback'],
    sampleRate: 1,
  };
  const express = createExpressApp({ watchpost });
  const hono = createHonoApp({ watchpost });
  const servers: Server[] = [createServer(express.app), createAdaptorServer({ fetch: hono.app.fetch }) as Server];
  const bases: string[] = [];
  for (const server of servers) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    bases.push(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  }
  const traffic: Array<[string, string, string, RequestInit?]> = [
    ['/', '203.0.113.10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36'],
    // From the crawlers' published ranges: elsewhere they would be impersonators.
    ['/products', '2001:4860:4801:2::7', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['/products/1', '::ffff:4.227.36.4', 'Mozilla/5.0 AppleWebKit/537.36 (compatible; GPTBot/1.2)'],
    ['/products/999', '198.51.100.5', 'curl/8.5.0'],
    ['/.env', '198.51.100.6', 'Mozilla/5.0'],
    ['/wp-login.php', '198.51.100.7', 'sqlmap/1.8 (https://sqlmap.org)'],
    ['/<script>alert(1)</script>?q=%00', '198.51.100.8', '<img src=x onerror=alert(1)>'],
    ['/login', '198.51.100.9', 'python-requests/2.32', { method: 'POST', body: '{"username":"a","password":"b"}' }],
  ];
  for (const base of bases) {
    for (const [path, ip, ua, init] of traffic) {
      const headers = { 'x-forwarded-for': ip, 'user-agent': ua, 'content-type': 'application/json' };
      const res = await fetch(`${base}${path}`, { ...init, headers });
      await res.body?.cancel();
    }
  }
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  // Closing the middleware flushes every queued event through capturingFetch.
  await Promise.all([express.protection?.close(), hono.protection?.close()]);
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

describe('middleware batches match the OpenAPI document', () => {
  it('every batch the forwarder sent is a valid request body, and its 202 a valid answer', () => {
    expect(batches.length).toBeGreaterThan(0);
    const events = batches.flatMap((b) => (b.body as { events: unknown[] }).events);
    expect(events).toHaveLength(16);
    const sources = new Set(batches.map((b) => (b.body as { source: string }).source));
    expect([...sources].sort()).toEqual(['express', 'hono']);
    for (const { body, answer } of batches) {
      expect(contract.checkRequest('post', '/v1/events', body)).toEqual([]);
      expect(contract.checkResponse('post', '/v1/events', answer)).toEqual([]);
      expect(answer.body).toMatchObject({ rejected: 0, duplicate: false });
    }
    // Both kinds of rows that the old document refused, and denies, are in what was checked.
    const categories = events.map((e) => (e as { botCategory: string | null }).botCategory);
    expect(categories).toContain(null);
    expect(categories).toEqual(expect.arrayContaining(['search-engine', 'ai-crawler', 'scanner']));
    expect(events.some((e) => (e as { action: string }).action === 'block')).toBe(true);
  });

  it.each([
    ['a status as a string', (e: Record<string, unknown>) => void (e.status = '200')],
    ['an unknown bot category', (e: Record<string, unknown>) => void (e.botCategory = 'martian')],
    ['a missing ip', (e: Record<string, unknown>) => void delete e.ip],
    ['a sample rate above 1', (e: Record<string, unknown>) => void (e.sampleRate = 2)],
  ])('refuses a real batch with %s', (_name, mutate) => {
    const broken = structuredClone(batches[0]!.body) as { events: Array<Record<string, unknown>> };
    mutate(broken.events[0]!);
    expect(contract.checkRequest('post', '/v1/events', broken).length).toBeGreaterThan(0);
  });

  it('refuses a 202 answer with a fake field', () => {
    const answer = structuredClone(batches[0]!.answer);
    (answer.body as Record<string, unknown>).fake = 1;
    expect(contract.checkResponse('post', '/v1/events', answer).join('\n')).toMatch(/additional properties/);
  });
});
