import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app.js';
import { openSqliteStore } from '../../db/sqlite/open.js';
import type { CreatedSite, Store } from '../../db/store.js';

const NOW = Date.parse('2026-03-03T05:00:00Z'); // Tuesday 14:00 in Tokyo
let dir: string;
let store: Store;
let shop: CreatedSite;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wp-alerts-page-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
  shop = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
  app = createApp({ store, now: () => NOW, logError: () => {} });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signedInCookie(key = shop.adminKey): Promise<string> {
  const res = await app.request('/dashboard/sign-in', {
    method: 'POST',
    body: new URLSearchParams({ adminKey: key }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
  });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('dashboard alerts page', () => {
  it('shows the schedule, redacted webhooks and the delivery log with failures, escaped', async () => {
    const hook = await store.addWebhook(shop.site.id, 'https://hooks.example/services/T0/B0/supersecret', NOW);
    const base = { siteId: shop.site.id, webhookId: hook.id, kind: 'burst' as const, attempts: 1, durationMs: 5 };
    await store.recordDelivery({
      ...base,
      summary: 'Alert: Error burst',
      status: 'delivered',
      httpStatus: 200,
      error: null,
      at: NOW - 60_000,
    });
    await store.recordDelivery({
      ...base,
      summary: 'Alert: <script>alert(1)</script>',
      status: 'failed',
      httpStatus: null,
      error: 'timed out after 5000 ms',
      attempts: 4,
      at: NOW,
    });
    const res = await app.request(`/dashboard/sites/${shop.site.id}/alerts`, {
      headers: { cookie: await signedInCookie() },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('At <strong>17:00</strong> (Asia/Tokyo), Monday to Friday.');
    expect(html).toContain('Next: <strong>2026-03-03 17:00:00</strong>');
    expect(html).toContain('https://hooks.example/…cret');
    expect(html).not.toContain('supersecret');
    expect(html).toContain('2 most recent, 1 not delivered.');
    expect(html).toContain('timed out after 5000 ms');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('is linked from the report page and refuses a site outside the session', async () => {
    const cookie = await signedInCookie();
    const report = await (await app.request(`/dashboard/sites/${shop.site.id}`, { headers: { cookie } })).text();
    expect(report).toContain(`href="/dashboard/sites/${shop.site.id}/alerts"`);
    const other = await store.createSite({ name: 'other', timeZone: 'UTC', homeCountry: null });
    expect((await app.request(`/dashboard/sites/${other.site.id}/alerts`, { headers: { cookie } })).status).toBe(404);
  });
});
