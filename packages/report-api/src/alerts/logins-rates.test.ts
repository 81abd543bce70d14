import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteStore } from '../db/sqlite/open.js';
import type { Store } from '../db/store.js';
import { createAlertService } from './service.js';
import { createManualClock } from '../../test/support/clock.js';
import { startReceiver, type Receiver } from '../../test/support/receiver.js';

let dir: string;
let store: Store;
let receiver: Receiver;
let service: ReturnType<typeof createAlertService> | undefined;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wp-login-alerts-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
  receiver = await startReceiver();
});
afterEach(async () => {
  await service?.queue.idle();
  await receiver.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.parse('2026-03-03T05:00:00Z');
const base: WatchpostEvent = {
  ...{ ts: T0, ip: '203.0.113.7', country: 'RU', method: 'POST', host: 'shop.example', path: '/login' },
  ...{ status: 401, latencyMs: 5, ua: 'python-requests/2.31', action: 'allow', rule: null, botCategory: null },
  sampleRate: 1,
};

it('credential stuffing and a rate-limited client each alert once through the webhook, escaped', async () => {
  const clock = createManualClock(T0);
  const { site } = await store.createSite({ name: 'shop', timeZone: 'Asia/Tokyo', homeCountry: 'JP' });
  await store.addWebhook(site.id, receiver.url, T0);
  service = createAlertService({ store, publicUrl: 'https://wp.example', now: clock.now, timers: clock.timers });
  const stuffing = Array.from({ length: 6 }, (_, i) => ({
    ...base,
    ts: T0 + i * 1000,
    login: { outcome: 'failed' as const, account: i.toString(16).padStart(32, '0') },
  }));
  const refused = Array.from({ length: 5 }, (_, i) => ({
    ...base,
    ...{ ts: T0 + i * 100, ip: '192.0.2.99', path: '/catalog', status: 429, action: 'block' as const },
    rule: 'rate:<!channel>*x*',
  }));
  await store.ingestBatch(site.id, { batchId: 'batch-login-1', source: 'express', events: [...stuffing, ...refused] });
  const titles: string[] = [];
  for (let t = T0 + 10_000; t <= T0 + 60_000; t += 10_000) {
    clock.set(t);
    for (const notice of await service.monitor.tick()) titles.push(`${notice.state}: ${notice.title}`);
  }
  expect(titles.sort()).toEqual([
    'alert: Login credential stuffing from 203.0.113.7',
    'alert: Rate-limited: 192.0.2.99 refused 5 times in 5 min',
  ]);
  const messages = await receiver.waitFor(2);
  const texts = messages.map((m) => (m.body as { text: string }).text).join('\n');
  expect(texts).toContain('accounts failed');
  expect(texts).not.toContain('<!channel>');
});
