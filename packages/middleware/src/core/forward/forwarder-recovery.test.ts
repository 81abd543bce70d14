import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WatchpostEvent } from '../../protocol/index.js';
import { createForwarder, type ForwarderOptions } from './forwarder.js';

const T0 = Date.UTC(2026, 11, 4);

function event(n: number): WatchpostEvent {
  return {
    ts: T0 + n,
    ip: '203.0.113.7',
    country: 'JP',
    method: 'GET',
    host: 'shop.example',
    path: '/',
    status: 200,
    latencyMs: 1,
    ua: 'Mozilla/5.0',
    action: 'allow',
    rule: null,
    botCategory: null,
    sampleRate: 1,
  };
}

type Reply = () => Response | Promise<Response>;

/** A fake report API: `reply` decides each answer; events of 2xx batches are recorded by number. */
function fakeApi() {
  const api = {
    reply: (() => Response.json({ ok: true })) as Reply,
    stored: new Set<number>(),
    posts: [] as Array<{ at: number; batchId: string; status: number | 'error' }>,
    fetch: (async (_url: string, init: RequestInit) => {
      const batch = JSON.parse(new TextDecoder().decode(init.body as Uint8Array)) as {
        batchId: string;
        events: WatchpostEvent[];
        dropped?: number;
      };
      try {
        const response = await api.reply();
        api.posts.push({ at: Date.now(), batchId: batch.batchId, status: response.status });
        if (response.ok) for (const e of batch.events) api.stored.add(e.ts - T0);
        return response;
      } catch (error) {
        api.posts.push({ at: Date.now(), batchId: batch.batchId, status: 'error' });
        throw error;
      }
    }) as unknown as typeof fetch,
  };
  return api;
}

function forwarder(api: ReturnType<typeof fakeApi>, options: Partial<ForwarderOptions> = {}) {
  return createForwarder({
    url: 'https://api.example',
    ingestKey: 'wpi_test',
    source: 'express',
    gzip: false,
    fetch: api.fetch,
    random: () => 0.5,
    now: () => Date.now(),
    onError: () => {},
    ...options,
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('forwarder recovery after an outage', () => {
  it('a 10-s outage at 1,500 req/s: retries resume within 2 s of recovery, losses bounded and counted', async () => {
    const api = fakeApi();
    // random 1: the longest jitter, the worst case for recovery.
    const fwd = forwarder(api, { random: () => 1, fullQueueBackoffMs: 2_000 });
    const outage = { from: 1_000, to: 11_000 };
    api.reply = () => {
      const t = Date.now() - T0;
      if (t >= outage.from && t < outage.to) throw new TypeError('fetch failed: connect ECONNREFUSED');
      return Response.json({ ok: true });
    };
    // 15 events every 10 ms for 20 s: 30,000 events.
    let n = 0;
    let droppedWhenHealthy = 0;
    for (let step = 0; step < 2_000; step++) {
      if (step * 10 === outage.to) droppedWhenHealthy = fwd.stats().dropped;
      for (let i = 0; i < 15; i++) fwd.push(event(n++));
      await vi.advanceTimersByTimeAsync(10);
    }
    await fwd.flush();
    await vi.advanceTimersByTimeAsync(0);

    const firstAfter = api.posts.find((p) => p.at - T0 >= outage.to && p.status === 200);
    expect(firstAfter!.at - T0 - outage.to).toBeLessThanOrEqual(2_000);
    const lost = n - api.stored.size;
    const lostAfterHealthy = fwd.stats().dropped - droppedWhenHealthy;
    // Everything lost is counted: stats say exactly what did not arrive.
    expect(fwd.stats().dropped).toBe(lost);
    // Once the API is healthy, at most fullQueueBackoffMs (2 s) of traffic may still be dropped
    // (11,987 events in the measurement).
    expect(lostAfterHealthy).toBeLessThanOrEqual(3_000);
    // In all: the outage, 2 s and one batch's worth of traffic, less what the queue and one batch hold.
    expect(lost).toBeLessThanOrEqual((10 + 2 + 2_000 / 1_500) * 1_500 - 12_000);
    // Every event sent from 2 s after recovery on arrived.
    const lateMissing = Array.from({ length: n }, (_, i) => i).filter(
      (i) => i >= ((outage.to + 2_000) / 10) * 15 && !api.stored.has(i),
    );
    expect(lateMissing).toEqual([]);
    await fwd.close();
  });

  it('tells the API about the drops in the next batch (dropped) and in stats', async () => {
    const api = fakeApi();
    const dropped: number[] = [];
    const inner = api.fetch;
    api.fetch = ((url: string, init: RequestInit) => {
      const batch = JSON.parse(new TextDecoder().decode(init.body as Uint8Array)) as { dropped?: number };
      dropped.push(batch.dropped ?? 0);
      return inner(url, init);
    }) as unknown as typeof fetch;
    const fwd = forwarder(api, { batchSize: 2, maxQueue: 4, flushIntervalMs: 0 });
    for (let i = 0; i < 7; i++) fwd.push(event(i));
    expect(fwd.stats().dropped).toBe(3);
    await fwd.flush();
    // Reported once, with the first batch after the drops.
    expect(dropped[0]).toBe(3);
    expect(dropped.slice(1).every((d) => d === 0)).toBe(true);
    expect([...api.stored].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe('forwarder and the answers of a per-event validating, rate-limited API', () => {
  it('counts the events a 202 says were rejected and does not send them again', async () => {
    const api = fakeApi();
    api.reply = () =>
      Response.json(
        {
          accepted: 3,
          rejected: 2,
          details: [
            { index: 1, reason: 'ts' },
            { index: 4, reason: 'ip' },
          ],
        },
        { status: 202 },
      );
    const fwd = forwarder(api, { flushIntervalMs: 0 });
    for (let i = 0; i < 5; i++) fwd.push(event(i));
    await fwd.flush();
    await fwd.flush();
    expect(api.posts).toHaveLength(1);
    expect(fwd.stats()).toMatchObject({ sentEvents: 3, rejected: 2, sentBatches: 1, dropped: 0, failedAttempts: 0 });
  });

  it.each([
    ['delta-seconds', '3', 3_000],
    ['an HTTP date', new Date(T0 + 4_000).toUTCString(), 4_000],
    ['too long, capped at maxBackoffMs', '3600', 30_000],
  ])('honours 429 Retry-After given as %s, keeping the batch', async (_name, retryAfter, waitMs) => {
    const api = fakeApi();
    let limited = true;
    api.reply = () =>
      limited
        ? new Response('{"error":"rate limited"}', { status: 429, headers: { 'retry-after': retryAfter } })
        : Response.json({ ok: true });
    const fwd = forwarder(api, { batchSize: 2, maxAttempts: 1 });
    fwd.push(event(0));
    fwd.push(event(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.posts.map((p) => p.status)).toEqual([429]);
    limited = false;
    await vi.advanceTimersByTimeAsync(waitMs - 1);
    expect(api.posts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.posts.map((p) => p.status)).toEqual([429, 200]);
    expect(api.posts[1]!.batchId).toBe(api.posts[0]!.batchId);
    expect(fwd.stats()).toMatchObject({ sentEvents: 2, dropped: 0 });
    await fwd.close();
  });
});

describe('forwarder without timers (flushIntervalMs 0, as in the edge worker)', () => {
  it('waits out a 429 Retry-After across flush() calls, then sends the same batch', async () => {
    const api = fakeApi();
    let limited = true;
    api.reply = () =>
      limited ? new Response('', { status: 429, headers: { 'retry-after': '5' } }) : Response.json({ ok: true });
    const fwd = forwarder(api, { flushIntervalMs: 0 });
    fwd.push(event(0));
    await fwd.flush();
    limited = false;
    vi.advanceTimersByTime(4_000);
    await fwd.flush();
    expect(api.posts.map((p) => p.status)).toEqual([429]);
    vi.advanceTimersByTime(1_000);
    await fwd.flush();
    expect(api.posts.map((p) => p.status)).toEqual([429, 200]);
    expect(fwd.stats()).toMatchObject({ sentEvents: 1, dropped: 0 });
  });
});
