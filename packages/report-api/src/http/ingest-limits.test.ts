import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { batch, event, post, tempStore } from '../../test/helpers.js';
import { createApp } from '../app.js';
import type { AppDeps } from '../app.js';
import { MAX_BATCH_JSON_BYTES } from './ingest-limits.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

async function setup(limits: AppDeps['limits'] = {}, now: () => number = Date.now) {
  t = tempStore();
  const shop = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
  const blog = await t.store.createSite({ name: 'blog', timeZone: 'UTC', homeCountry: 'JP' });
  const app = createApp({ store: t.store, now, limits, logError: () => undefined });
  return { app, shop: shop.ingestKey, blog: blog.ingestKey };
}

/** A request whose body stays open until `finish()`: a slow client holding its slot. */
function openBody(key: string, first: string) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void ((controller = c), c.enqueue(new TextEncoder().encode(first))),
  });
  const init = { ...post(key, ''), body, duplex: 'half' } as RequestInit;
  return { init, finish: (rest: string) => (controller.enqueue(new TextEncoder().encode(rest)), controller.close()) };
}

/** The answer's status, or 'hung' when none comes within `ms` (the server waited on the body). */
async function statusWithin(answer: Response | Promise<Response>, ms = 1000) {
  return Promise.race([
    Promise.resolve(answer).then((res) => res.status),
    new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms)),
  ]);
}

/** A valid gzip batch that expands to about `bytes` of JSON (padding in an unknown key, stripped by the schema). */
const bomb = (bytes: number) => gzipSync(JSON.stringify({ ...batch([event()]), pad: 'a'.repeat(bytes) }));

describe('POST /v1/events under hostile load', () => {
  it('refuses a 50 KB gzip body expanding past the protocol maximum with 413, stopped while inflating', async () => {
    const { app, shop } = await setup();
    const body = bomb(20 * 1024 * 1024);
    expect(body.byteLength).toBeLessThan(50_000);
    const res = await app.request('/v1/events', post(shop, body, { 'content-encoding': 'gzip' }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/once decompressed/);
  });

  it('accepts 5000 events with every text field at its longest, gzipped (the cap fits the protocol)', async () => {
    const { app, shop } = await setup();
    const longest = event({
      host: 'h'.repeat(255),
      path: `/${'p'.repeat(2047)}`,
      ua: 'u'.repeat(512),
      rule: 'r'.repeat(128),
      method: 'M'.repeat(16),
    });
    const sent = batch(Array.from({ length: 5000 }, (_, i) => ({ ...longest, ts: longest.ts + i })));
    const json = JSON.stringify(sent);
    expect(json.length).toBeGreaterThan(15_000_000);
    expect(json.length).toBeLessThanOrEqual(MAX_BATCH_JSON_BYTES);
    const res = await app.request('/v1/events', post(shop, gzipSync(json), { 'content-encoding': 'gzip' }));
    expect(res.status).toBe(202);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(5000);
  }, 30_000);

  it('refuses the N+1th concurrent body with 503 + Retry-After before reading it; the N finish normally', async () => {
    const { app, shop, blog } = await setup({ maxConcurrentBodies: 2 });
    const bodies = [batch([event()]), batch([event()])].map((sent) => ({
      sent,
      open: openBody(shop, JSON.stringify(sent).slice(0, 10)),
    }));
    const answers = bodies.map(({ open }) => app.request('/v1/events', open.init));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const extra = openBody(blog, '{');
    const refused = await app.request('/v1/events', extra.init);
    expect(await statusWithin(Promise.resolve(refused))).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    bodies.forEach(({ sent, open }) => open.finish(JSON.stringify(sent).slice(10)));
    expect(await Promise.all(answers.map((answer) => statusWithin(answer)))).toEqual([202, 202]);
    expect((await app.request('/v1/events', post(blog, batch([event()])))).status).toBe(202);
  });

  it('refuses a body that would take the decompressed bytes in flight past maxInFlightBytes with 503', async () => {
    const { app, shop, blog } = await setup({ maxDecompressedBytes: 1 << 20, maxInFlightBytes: 1 << 20 });
    const sent = batch([event()]);
    const head = `{"pad":"${'a'.repeat(700_000)}",`;
    const holding = openBody(shop, head);
    const held = app.request('/v1/events', holding.init);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await app.request('/v1/events', post(blog, { ...sent, pad: 'b'.repeat(400_000) }));
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    holding.finish(JSON.stringify(sent).slice(1));
    expect(await statusWithin(held)).toBe(202);
    // The bytes are given back once answered: the same body now fits.
    expect(
      (await app.request('/v1/events', post(blog, { ...batch([event()]), pad: 'b'.repeat(400_000) }))).status,
    ).toBe(202);
  });

  it('answers 429 + Retry-After to a site over its event rate while another site is still accepted', async () => {
    let now = Date.UTC(2026, 2, 1, 12);
    const { app, shop, blog } = await setup({ siteEventsPerSecond: 10, siteBurstEvents: 5 }, () => now);
    const three = () => batch([event(), event(), event()]);
    expect((await app.request('/v1/events', post(shop, three()))).status).toBe(202); // 5 -> 2 tokens
    expect((await app.request('/v1/events', post(shop, three()))).status).toBe(202); // 2 -> -1 (debt)
    const limited = await app.request('/v1/events', post(shop, three()));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { error: string }).error).toMatch(/10 events\/s/);
    expect((await app.request('/v1/events', post(blog, three()))).status).toBe(202);
    now += 1000;
    expect((await app.request('/v1/events', post(shop, three()))).status).toBe(202);
  });

  it.each([
    ['maxConcurrentBodies', { maxConcurrentBodies: 0 }],
    ['maxInFlightBytes', { maxInFlightBytes: 1024 }],
    ['siteEventsPerSecond', { siteEventsPerSecond: -1 }],
  ])('names a bad %s when the app is built', async (name, limits) => {
    t = tempStore();
    expect(() => createApp({ store: t.store, limits })).toThrow(new RegExp(name));
  });
});
