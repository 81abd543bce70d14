import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DenyEntry } from '@watchpost/middleware/protocol';
import { denyEntry } from '../test-support/fakes.js';
import { createDenyListCache } from './cache.js';
import { DENYLIST_KEY } from './stored.js';

const kv = env.DENYLIST;

async function store(version: string, values: string[]) {
  await kv.put(
    DENYLIST_KEY,
    JSON.stringify({ version, etag: `"${version}"`, fetchedAt: 1, entries: values.map((v) => denyEntry(v)) }),
  );
}

function setup(overrides: Partial<Parameters<typeof createDenyListCache>[0]> = {}) {
  let clock = 0;
  const updates: { version: string; values: string[] }[] = [];
  const errors: unknown[] = [];
  const cache = createDenyListCache({
    kv,
    ttlMs: 30_000,
    now: () => clock,
    onUpdate: (entries: readonly DenyEntry[], version: string) =>
      updates.push({ version, values: entries.map((e) => e.value) }),
    onError: (error) => errors.push(error),
    ...overrides,
  });
  return { cache, updates, errors, advance: (ms: number) => void (clock += ms) };
}

describe('createDenyListCache', () => {
  beforeEach(async () => {
    await kv.delete(DENYLIST_KEY);
  });

  it('loads once, then re-reads KV only after the TTL, and compiles only a new version', async () => {
    await store('v1', ['198.51.100.7']);
    const { cache, updates, advance } = setup();
    await cache.refresh();
    expect(cache.loaded).toBe(true);
    expect(updates).toEqual([{ version: 'v1', values: ['198.51.100.7'] }]);

    advance(10_000);
    expect(cache.refresh()).toBeNull();

    advance(25_000);
    await cache.refresh();
    expect(updates).toHaveLength(1);

    await store('v2', ['198.51.100.8']);
    advance(30_000);
    await cache.refresh();
    expect(updates.at(-1)).toEqual({ version: 'v2', values: ['198.51.100.8'] });
    expect(cache.version).toBe('v2');
  });

  it('shares one KV read between concurrent requests', async () => {
    await store('v1', ['198.51.100.7']);
    const { cache, updates } = setup();
    const first = cache.refresh();
    const second = cache.refresh();
    expect(second).toBe(first);
    await first;
    expect(updates).toHaveLength(1);
  });

  it('keeps the last good copy when KV is emptied or holds junk', async () => {
    await store('v1', ['198.51.100.7']);
    const { cache, updates, advance } = setup();
    await cache.refresh();
    await kv.delete(DENYLIST_KEY);
    advance(30_000);
    await cache.refresh();
    await kv.put(DENYLIST_KEY, '{"version": 7}');
    advance(30_000);
    await cache.refresh();
    expect(updates).toHaveLength(1);
    expect(cache.version).toBe('v1');
  });

  it('keeps the last good copy when KV throws, and reports the error', async () => {
    await store('v1', ['198.51.100.7']);
    let broken = false;
    const flakyKv = {
      get: (...args: Parameters<KVNamespace['get']>) =>
        broken ? Promise.reject(new Error('KV unavailable')) : kv.get(...args),
    } as unknown as KVNamespace;
    const { cache, updates, errors, advance } = setup({ kv: flakyKv });
    await cache.refresh();
    broken = true;
    advance(30_000);
    await cache.refresh();
    expect(updates).toHaveLength(1);
    expect(cache.version).toBe('v1');
    expect(String(errors[0])).toMatch(/KV unavailable/);
  });

  it('gives up on a hung KV read, keeps the last good copy, and reads again after the TTL', async () => {
    await store('v1', ['198.51.100.7']);
    let hang = false;
    let reads = 0;
    const hangingKv = {
      get: (...args: Parameters<KVNamespace['get']>) => {
        reads += 1;
        return hang ? new Promise(() => {}) : kv.get(...args);
      },
    } as unknown as KVNamespace;
    const { cache, updates, errors, advance } = setup({ kv: hangingKv, readTimeoutMs: 20 });
    await cache.refresh();
    hang = true;
    advance(30_000);
    await cache.refresh();
    expect(String(errors[0])).toMatch(/took more than 20 ms/);
    expect(cache.version).toBe('v1');
    hang = false;
    await store('v2', ['198.51.100.8']);
    advance(30_000);
    await cache.refresh();
    expect(reads).toBe(3);
    expect(updates.at(-1)?.version).toBe('v2');
  });

  it('is not loaded while KV has no list', async () => {
    const { cache, updates } = setup();
    await cache.refresh();
    expect(cache.loaded).toBe(false);
    expect(updates).toEqual([]);
  });
});
