import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { appWithSite, post, tempStore } from '../../test/helpers.js';
import { createApp } from '../app.js';
import { storeDashboardData } from '../dashboard/data.js';
import { createEdgeNotifier, EDGE_NOTICE_PATH, parseEdgeWorkers } from './notify-edge.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A stand-in worker on 127.0.0.1: answers `status` after `delayMs`, or never when delayMs < 0. */
async function fakeWorker(status = 202, delayMs = 0) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization });
    if (delayMs < 0) return;
    setTimeout(() => response.writeHead(status).end(), delayMs);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('createEdgeNotifier', () => {
  it("POSTs to every worker URL of the site with its ingest key, and to no other site's", async () => {
    const a = await fakeWorker();
    const b = await fakeWorker();
    const other = await fakeWorker();
    const notifier = createEdgeNotifier({
      targets: new Map([
        ['site_a', { urls: [a.url, `${b.url}/`], ingestKey: 'wp_ing_site_a_key' }],
        ['site_b', { urls: [other.url], ingestKey: 'wp_ing_site_b_key' }],
      ]),
    });
    notifier.notify('site_a');
    notifier.notify('unknown-site');
    notifier.notify('__proto__');
    await notifier.idle();
    for (const worker of [a, b]) {
      expect(worker.seen).toEqual([
        { method: 'POST', url: EDGE_NOTICE_PATH, authorization: 'Bearer wp_ing_site_a_key' },
      ]);
    }
    expect(other.seen).toEqual([]);
    expect(notifier.stats()).toEqual({ sent: 2, failed: 0, coalesced: 0 });
  });

  it('folds a burst of changes into one more round, never a storm', async () => {
    const worker = await fakeWorker(202, 50);
    const notifier = createEdgeNotifier({
      targets: new Map([['s', { urls: [worker.url], ingestKey: 'k'.repeat(16) }]]),
    });
    for (let i = 0; i < 20; i++) notifier.notify('s');
    await notifier.idle();
    expect(worker.seen).toHaveLength(2);
    expect(notifier.stats()).toMatchObject({ sent: 2, coalesced: 18 });
  });

  it('counts and logs refusals, timeouts and unreachable workers, and returns at once', async () => {
    const refusing = await fakeWorker(401);
    const hanging = await fakeWorker(202, -1);
    const errors: string[] = [];
    const notifier = createEdgeNotifier({
      targets: new Map([['s', { urls: [refusing.url, hanging.url, 'http://127.0.0.1:9'], ingestKey: 'k'.repeat(16) }]]),
      timeoutMs: 200,
      logError: (error) => errors.push(String(error)),
    });
    const started = performance.now();
    notifier.notify('s');
    // Returned before any answer came back: nothing is counted yet.
    expect(notifier.stats()).toEqual({ sent: 0, failed: 0, coalesced: 0 });
    await notifier.idle();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(notifier.stats()).toEqual({ sent: 0, failed: 3, coalesced: 0 });
    expect(errors.some((error) => error.includes('answered 401'))).toBe(true);
    expect(errors.join('\n')).not.toContain('k'.repeat(16));
  });

  it('refuses a bad timeout', () => {
    expect(() => createEdgeNotifier({ targets: new Map(), timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('wired into createApp', () => {
  it("notifies the site's workers on POST and DELETE /v1/denylist, and never another site's", async () => {
    const t = tempStore();
    try {
      const { adminKey, ingestKey, site } = await appWithSite(t.store, {}, () => Date.now());
      const siteId = site.id;
      const other = await t.store.createSite({ name: 'other', timeZone: 'UTC', homeCountry: 'JP' });
      const worker = await fakeWorker();
      const notifier = createEdgeNotifier({ targets: new Map([[siteId, { urls: [worker.url], ingestKey }]]) });
      const app = createApp({ store: t.store, onDenyListChange: notifier.notify });
      const added = await app.request('/v1/denylist', post(adminKey, { value: '198.51.100.7', reason: 'scanner' }));
      expect(added.status).toBe(201);
      await notifier.idle();
      expect(worker.seen).toEqual([{ method: 'POST', url: EDGE_NOTICE_PATH, authorization: `Bearer ${ingestKey}` }]);
      const { id } = (await added.json()) as { id: string };
      const removed = await app.request(`/v1/denylist/${id}?reason=done`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect(removed.status).toBe(204);
      await notifier.idle();
      expect(worker.seen).toHaveLength(2);
      await app.request('/v1/denylist', post(other.adminKey, { value: '198.51.100.8', reason: '' }));
      await notifier.idle();
      expect(worker.seen).toHaveLength(2);
    } finally {
      await t.cleanup();
    }
  });
});

describe('wired into the dashboard', () => {
  it("a deny from the dashboard's block button calls the hook once, not for an IP already denied", async () => {
    const t = tempStore();
    try {
      const { site } = await t.store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP' });
      const changed: string[] = [];
      const data = storeDashboardData(t.store, { onDenyListChange: (siteId) => changed.push(siteId) });
      await data.denyIp(site, '198.51.100.9', 'from the dashboard');
      await data.denyIp(site, '198.51.100.9', 'twice');
      expect(changed).toEqual([site.id]);
    } finally {
      await t.cleanup();
    }
  });
});

describe('parseEdgeWorkers', () => {
  const key = 'wp_ing_0123456789abcdef';

  it('reads sites into a Map, prototype names included, and is empty when unset', () => {
    const text = JSON.stringify({
      site_1: { urls: ['https://shop.example'], ingestKey: key },
      __proto__: { urls: ['https://proto.example'], ingestKey: key },
    });
    const targets = parseEdgeWorkers(text);
    expect(targets.get('site_1')).toEqual({ urls: ['https://shop.example'], ingestKey: key });
    expect(parseEdgeWorkers(undefined).size).toBe(0);
    expect(parseEdgeWorkers(' ').size).toBe(0);
    expect(({} as Record<string, unknown>).urls).toBeUndefined();
  });

  it.each([
    ['not JSON', '{', /must be JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['a site that is a string', JSON.stringify({ s: 'x' }), /\["s"\] must be/],
    ['no urls', JSON.stringify({ s: { ingestKey: key } }), /urls must be 1 to 16/],
    ['17 urls', JSON.stringify({ s: { urls: Array(17).fill('https://a.example'), ingestKey: key } }), /1 to 16/],
    ['an ftp url', JSON.stringify({ s: { urls: ['ftp://a.example'], ingestKey: key } }), /http\(s\)/],
    ['a relative url', JSON.stringify({ s: { urls: ['/x'], ingestKey: key } }), /invalid URL/],
    ['credentials in a url', JSON.stringify({ s: { urls: ['https://u:p@a.example'], ingestKey: key } }), /credentials/],
    ['a short key', JSON.stringify({ s: { urls: ['https://a.example'], ingestKey: 'k' } }), /ingestKey/],
    [
      'a key with a newline',
      JSON.stringify({ s: { urls: ['https://a.example'], ingestKey: `${key}\n` } }),
      /ingestKey/,
    ],
  ])('rejects %s with a TypeError', (_name, text, message) => {
    expect(() => parseEdgeWorkers(text)).toThrow(TypeError);
    expect(() => parseEdgeWorkers(text)).toThrow(message);
  });

  it('never shows a key in its errors', () => {
    const text = JSON.stringify({ s: { urls: ['https://a.example'], ingestKey: 'short' } });
    expect(() => parseEdgeWorkers(text)).toThrow(/^(?!.*short).*$/s);
  });
});
