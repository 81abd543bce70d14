import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSinkServer, type SinkServer } from '../../../test/sink-server.js';
import { batchSchema, type WatchpostEvent } from '../../protocol/index.js';
import { createForwarder, type ForwarderOptions } from './forwarder.js';

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

function event(n: number): WatchpostEvent {
  return {
    ts: 1_700_000_000_000 + n,
    ip: '203.0.113.7',
    country: 'JP',
    method: 'GET',
    host: 'shop.example',
    path: `/item/${n}`,
    status: 200,
    latencyMs: 1.5,
    ua: 'Mozilla/5.0',
    action: 'allow',
    rule: null,
    botCategory: null,
    sampleRate: 1,
  };
}

let sink: SinkServer | null = null;
afterEach(async () => {
  await sink?.close();
  sink = null;
});

function forwarder(url: string, options: Partial<ForwarderOptions> = {}) {
  return createForwarder({
    url,
    ingestKey: 'wpi_test',
    source: 'express',
    flushIntervalMs: 0,
    timeoutMs: 300,
    ...options,
  });
}

/** Event numbers the server acknowledged, once per batchId (as the report API would store them). */
function stored(server: SinkServer): number[] {
  const byId = new Map<string, number[]>();
  for (const { batch, answered } of server.received) {
    if (answered === 'ok')
      byId.set(
        batch.batchId,
        batch.events.map((e) => e.ts - 1_700_000_000_000),
      );
  }
  return [...byId.values()].flat().sort((a, b) => a - b);
}

describe('createForwarder against a real HTTP server', () => {
  it('posts gzip batches of batchSize to /v1/events with the ingest key, valid per the schema', async () => {
    sink = await startSinkServer();
    const fwd = forwarder(sink.url, { batchSize: 4 });
    for (let i = 0; i < 10; i++) fwd.push(event(i));
    await fwd.flush();
    expect(sink.received.map((r) => r.batch.events.length)).toEqual([4, 4, 2]);
    for (const r of sink.received) {
      expect(r.encoding).toBe('gzip');
      expect(r.authorization).toBe('Bearer wpi_test');
      expect(batchSchema.safeParse(r.batch).success).toBe(true);
    }
    expect(stored(sink)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fwd.stats()).toMatchObject({ sentEvents: 10, sentBatches: 3, queued: 0, dropped: 0 });
  });

  it('sends plain JSON when gzip is off', async () => {
    sink = await startSinkServer();
    const fwd = forwarder(sink.url, { gzip: false });
    fwd.push(event(1));
    await fwd.flush();
    expect(sink.received[0]?.encoding).toBeUndefined();
    expect(sink.received[0]?.batch.events).toHaveLength(1);
  });

  it('survives a failing, then hanging, then recovered API: nothing lost, each event under one batchId', async () => {
    sink = await startSinkServer();
    const errors: unknown[] = [];
    const fwd = forwarder(sink.url, { batchSize: 5, onError: (e) => errors.push(e) });
    for (let i = 0; i < 12; i++) fwd.push(event(i));

    sink.behaviour = 'fail';
    await fwd.flush();
    sink.behaviour = 'hang';
    for (let i = 12; i < 20; i++) fwd.push(event(i));
    await fwd.flush(); // times out after 300 ms
    sink.behaviour = 'ok';
    await fwd.flush();

    expect(stored(sink)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // The first batch was tried three times, always under the same id with the same events.
    const first = sink.received.filter((r) => r.batch.batchId === sink!.received[0]!.batch.batchId);
    expect(first.map((r) => r.answered)).toEqual(['fail', 'hang', 'ok']);
    expect(new Set(first.map((r) => JSON.stringify(r.batch.events))).size).toBe(1);
    // No event appears under two batch ids.
    const owner = new Map<number, string>();
    for (const { batch } of sink.received) {
      for (const e of batch.events) {
        const id = owner.get(e.ts);
        expect(id === undefined || id === batch.batchId).toBe(true);
        owner.set(e.ts, batch.batchId);
      }
    }
    expect(fwd.stats()).toMatchObject({ sentEvents: 20, dropped: 0, queued: 0, inFlight: 0, failedAttempts: 2 });
    expect(errors).toHaveLength(1); // one report per outage, not one per attempt
  });

  it('retries on its own with backoff when timers are on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const answers: Array<{ at: number; batchId: string; status: number }> = [];
      let failing = true;
      const fakeFetch: typeof fetch = async (_url, init) => {
        const body = JSON.parse(new TextDecoder().decode(init!.body as Uint8Array)) as { batchId: string };
        const status = failing ? 503 : 202;
        answers.push({ at: Date.now(), batchId: body.batchId, status });
        return new Response('{}', { status });
      };
      const fwd = forwarder('http://127.0.0.1:9', {
        flushIntervalMs: 60_000,
        batchSize: 2,
        backoffMs: 20,
        maxBackoffMs: 40,
        gzip: false,
        fetch: fakeFetch,
      });
      const start = Date.now();
      fwd.push(event(1));
      fwd.push(event(2)); // a full batch goes at once
      await vi.advanceTimersByTimeAsync(0);
      expect(answers.map((a) => a.at - start)).toEqual([0]);
      // Retries come on their own, no sooner than the backoff and never later than its ceiling.
      await vi.advanceTimersByTimeAsync(100);
      const gaps = answers.slice(1).map((a, i) => a.at - answers[i]!.at);
      expect(gaps.length).toBeGreaterThanOrEqual(2);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(10);
      for (const gap of gaps) expect(gap).toBeLessThanOrEqual(40);
      failing = false;
      await vi.advanceTimersByTimeAsync(40);
      expect(fwd.stats().sentEvents).toBe(2);
      expect(new Set(answers.map((a) => a.batchId)).size).toBe(1);
      await fwd.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends full batches on push and leaves a partial batch for the timer, not one POST per event', async () => {
    sink = await startSinkServer();
    const fwd = forwarder(sink.url, { flushIntervalMs: 60_000, batchSize: 5 });
    for (let i = 0; i < 7; i++) fwd.push(event(i));
    await until(() => fwd.stats().sentBatches === 1);
    for (let i = 7; i < 9; i++) {
      fwd.push(event(i));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(sink.received.map((r) => r.batch.events.length)).toEqual([5]);
    expect(fwd.stats()).toMatchObject({ queued: 4, sentEvents: 5 });
    await fwd.close();
    expect(sink.received.map((r) => r.batch.events.length)).toEqual([5, 4]);
  });

  it('flush() sends what was queued when it was called; later arrivals wait for the next flush', async () => {
    const sizes: number[] = [];
    let answer: () => void = () => undefined;
    const slowFetch: typeof fetch = async (_url, init) => {
      sizes.push(
        (JSON.parse(new TextDecoder().decode(init!.body as Uint8Array)) as { events: unknown[] }).events.length,
      );
      // Answered when the test says so: the POST is in flight until then.
      await new Promise<void>((resolve) => (answer = resolve));
      return new Response('{}', { status: 200 });
    };
    const fwd = createForwarder({
      url: 'http://127.0.0.1:9',
      ingestKey: 'k',
      source: 'hono',
      flushIntervalMs: 0,
      gzip: false,
      fetch: slowFetch,
    });
    for (let i = 0; i < 3; i++) fwd.push(event(i));
    const flushing = fwd.flush();
    await vi.waitFor(() => expect(sizes).toEqual([3]));
    for (let i = 3; i < 6; i++) fwd.push(event(i)); // arrive while the POST is in flight
    answer();
    await flushing;
    expect(sizes).toEqual([3]);
    expect(fwd.stats().queued).toBe(3);
    const second = fwd.flush();
    await vi.waitFor(() => expect(sizes).toEqual([3, 3]));
    answer();
    await second;
  });

  it('drops the oldest past maxQueue, counts it, and reports it on the next batch', async () => {
    sink = await startSinkServer();
    const fwd = forwarder(sink.url, { maxQueue: 5, batchSize: 100 });
    for (let i = 0; i < 8; i++) fwd.push(event(i));
    expect(fwd.stats()).toMatchObject({ queued: 5, dropped: 3 });
    await fwd.flush();
    expect(stored(sink)).toEqual([3, 4, 5, 6, 7]);
    expect(sink.received[0]?.batch.dropped).toBe(3);
  });

  it('drops a batch the API rejects with 400 instead of retrying it forever', async () => {
    const fetchStub: typeof fetch = async () => new Response('{"error":"bad"}', { status: 400 });
    const errors: unknown[] = [];
    const fwd = createForwarder({
      url: 'http://127.0.0.1:9',
      ingestKey: 'k',
      source: 'hono',
      flushIntervalMs: 0,
      fetch: fetchStub,
      onError: (e) => errors.push(e),
    });
    fwd.push(event(1));
    await fwd.flush();
    expect(fwd.stats()).toMatchObject({ dropped: 1, sentEvents: 0, queued: 0, inFlight: 0 });
    expect(String(errors[0])).toMatch(/400/);
  });

  it('never throws into the caller, even when fetch itself throws synchronously', async () => {
    const fwd = createForwarder({
      url: 'http://127.0.0.1:9',
      ingestKey: 'k',
      source: 'hono',
      flushIntervalMs: 0,
      fetch: () => {
        throw new Error('no network');
      },
      onError: () => {},
    });
    fwd.push(event(1));
    await expect(fwd.flush()).resolves.toBeUndefined();
    await expect(fwd.close()).resolves.toBeUndefined();
    fwd.push(event(2)); // after close: dropped, not thrown
    expect(fwd.stats()).toMatchObject({ queued: 0, inFlight: 1, dropped: 1 });
  });

  it.each([
    [{ url: 'ftp://x' }, /options\.url/],
    [{ ingestKey: '' }, /options\.ingestKey/],
    [{ batchSize: 0 }, /options\.batchSize/],
    [{ batchSize: 6_000 }, /options\.batchSize/],
    [{ maxQueue: -1 }, /options\.maxQueue/],
    [{ flushIntervalMs: -5 }, /options\.flushIntervalMs/],
    [{ source: 'nginx' }, /options\.source/],
  ])('rejects %j', (bad, message) => {
    expect(() =>
      createForwarder({ url: 'http://x', ingestKey: 'k', source: 'express', ...bad } as ForwarderOptions),
    ).toThrow(message);
  });
});
