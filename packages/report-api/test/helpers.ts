import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import { createApp } from '../src/app.js';
import { openSqliteStore } from '../src/db/sqlite/open.js';
import type { CreatedSite, NewSite } from '../src/db/store.js';

/**
 * A fresh SQLite file in a temp dir, with `cleanup()` for afterEach. Tests use a real database.
 *
 * @example
 * const t = tempStore(); afterEach(() => t.cleanup());
 */
export function tempStore(now: () => number = Date.now) {
  const dir = mkdtempSync(join(tmpdir(), 'watchpost-test-'));
  const path = join(dir, 'watchpost.db');
  const store = openSqliteStore({ path, now });
  return {
    dir,
    path,
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A site plus an app around the store, for route tests. */
export async function appWithSite(
  store: ReturnType<typeof tempStore>['store'],
  site: Partial<NewSite> = {},
  now: () => number = Date.now,
) {
  const created: CreatedSite = await store.createSite({ name: 'shop', timeZone: 'UTC', homeCountry: 'JP', ...site });
  const app = createApp({ store, now, logError: () => undefined });
  return { app, ...created };
}

let counter = 0;

/**
 * A valid event; override what the test is about.
 *
 * @example
 * event({ status: 404, ip: '203.0.113.9' });
 */
export function event(overrides: Partial<WatchpostEvent> = {}): WatchpostEvent {
  return {
    ts: Date.UTC(2026, 2, 1, 12),
    ip: '203.0.113.7',
    country: 'JP',
    method: 'GET',
    host: 'shop.example',
    path: '/',
    status: 200,
    latencyMs: 12,
    ua: 'Mozilla/5.0',
    action: 'allow',
    rule: null,
    botCategory: null,
    sampleRate: 1,
    ...overrides,
  };
}

/** A batch with a fresh batchId. */
export function batch(events: WatchpostEvent[], overrides: Partial<EventBatch> = {}): EventBatch {
  counter += 1;
  return { batchId: `test-batch-${process.pid}-${counter}`, source: 'express', events, ...overrides };
}

/** Request init for a JSON POST with a key. */
export function post(key: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  };
}
