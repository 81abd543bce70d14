import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { openSqliteStore } from '../db/sqlite/open.js';
import type { CreatedSite, Store } from '../db/store.js';
import { startReceiver, type Receiver } from '../../test/support/receiver.js';

let dir: string;
let store: Store;
let receiver: Receiver;
let shop: CreatedSite;
let app: ReturnType<typeof createApp>;
const NOW = Date.parse('2026-03-03T05:00:00Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wp-routes-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
  receiver = await startReceiver();
  shop = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
  app = createApp({ store, now: () => NOW, logError: () => {} });
});
afterEach(async () => {
  await receiver.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(method: string, path: string, { key = shop.adminKey, body }: { key?: string; body?: unknown } = {}) {
  return app.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('/v1/webhooks', () => {
  it('adds (full URL once), lists (redacted), and removes a webhook', async () => {
    const secret = 'https://hooks.example/services/T000/B000/verysecrettoken';
    const created = await call('POST', '/v1/webhooks', { body: { url: secret } });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string; url: string };
    expect(hook.url).toBe(secret);
    const listed = (await (await call('GET', '/v1/webhooks')).json()) as {
      webhooks: Array<{ id: string; url: string }>;
    };
    expect(listed.webhooks).toEqual([{ id: hook.id, url: 'https://hooks.example/…oken', createdAt: NOW }]);
    expect(JSON.stringify(listed)).not.toContain('verysecret');
    expect((await call('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(404);
  });

  it.each([
    ['ftp scheme', { url: 'ftp://files.example/x' }, /http:\/\/ or https:\/\//],
    ['not a URL', { url: 'hooks.slack.com/x' }, /not a valid absolute URL/],
    ['credentials in URL', { url: 'https://user:pw@hooks.example/x' }, /user name or password/],
    ['unknown field', { url: 'https://a.example', extra: 1 }, /invalid webhook/],
    ['not JSON', 'url=https://a', /not valid JSON/],
  ])('rejects %s with 400', async (_name, body, message) => {
    const response = await call('POST', '/v1/webhooks', { body });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(message);
  });

  it('needs the admin key of the same site', async () => {
    expect((await call('GET', '/v1/webhooks', { key: shop.ingestKey })).status).toBe(403);
    const other = await store.createSite({ name: 'other', timeZone: 'UTC', homeCountry: null });
    const hook = await store.addWebhook(shop.site.id, receiver.url, NOW);
    expect((await call('DELETE', `/v1/webhooks/${hook.id}`, { key: other.adminKey })).status).toBe(404);
    expect(await store.listWebhooks(shop.site.id)).toHaveLength(1);
  });
});

describe('/v1/alerts', () => {
  it('test sends a message to the webhook and reports the outcome; the log shows it', async () => {
    await store.addWebhook(shop.site.id, receiver.url, NOW);
    const response = await call('POST', '/v1/alerts/test');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ok: true,
      deliveries: [{ status: 'delivered', httpStatus: 200, attempts: 1 }],
    });
    expect((receiver.messages[0]!.body as { text: string }).text).toContain('Test message from Watchpost for *shop*');
    const log = (await (await call('GET', '/v1/alerts/deliveries?limit=5')).json()) as {
      deliveries: Array<{ kind: string; status: string }>;
    };
    expect(log.deliveries).toEqual([expect.objectContaining({ kind: 'test', status: 'delivered', at: NOW })]);
  });

  it('test without a webhook is a 409 that says what to do', async () => {
    const response = await call('POST', '/v1/alerts/test');
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toMatch(/POST \/v1\/webhooks/);
  });

  it('settings: defaults, partial update, next report time in the site zone, validation', async () => {
    const initial = await (await call('GET', '/v1/alerts/settings')).json();
    // Tuesday 14:00 JST: the next report is today 17:00 JST.
    expect(initial).toEqual({
      reportTime: '17:00',
      businessDaysOnly: true,
      timeZone: 'Asia/Tokyo',
      nextReportAt: Date.parse('2026-03-03T08:00:00Z'),
    });
    const updated = await (await call('PUT', '/v1/alerts/settings', { body: { reportTime: '09:00' } })).json();
    expect(updated).toMatchObject({
      reportTime: '09:00',
      businessDaysOnly: true,
      nextReportAt: Date.parse('2026-03-04T00:00:00Z'),
    });
    const bad = await call('PUT', '/v1/alerts/settings', { body: { reportTime: '9am' } });
    expect(bad.status).toBe(400);
  });

  it('deliveries rejects a bad limit', async () => {
    expect((await call('GET', '/v1/alerts/deliveries?limit=0')).status).toBe(400);
    expect((await call('GET', '/v1/alerts/deliveries?limit=abc')).status).toBe(400);
  });
});

describe('/openapi.json', () => {
  it('documents every alerts route', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/v1/webhooks']!)).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/v1/webhooks/{id}']!)).toEqual(['delete']);
    expect(Object.keys(doc.paths['/v1/alerts/settings']!)).toEqual(['get', 'put']);
    expect(Object.keys(doc.paths['/v1/alerts/test']!)).toEqual(['post']);
    expect(Object.keys(doc.paths['/v1/alerts/deliveries']!)).toEqual(['get']);
  });
});
