import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDeliveryQueue, type DeliveryJob } from './deliver.js';
import type { NewDelivery } from '../db/alerts.js';
import { startReceiver, type Receiver } from '../../test/support/receiver.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(options?: Parameters<typeof startReceiver>[0]) {
  const started = await startReceiver(options);
  receivers.push(started);
  return started;
}

const job = (url: string, summary = 'test message'): DeliveryJob => ({
  siteId: 'site_1',
  // One webhook id per receiver, as in the store.
  webhook: { id: `hook_${new URL(url).port}`, url },
  kind: 'test',
  summary,
  payload: { text: `hello: ${summary}` },
});

function setup(options: Partial<Parameters<typeof createDeliveryQueue>[0]> = {}) {
  const records: NewDelivery[] = [];
  const delays: number[] = [];
  const queue = createDeliveryQueue({
    record: async (delivery) => {
      records.push(delivery);
    },
    baseDelayMs: 10,
    maxDelayMs: 1000,
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { queue, records, delays };
}

describe('createDeliveryQueue', () => {
  it('retries on 500 with exponential backoff, then records one delivery with its attempts', async () => {
    const target = await receiver({ script: [500, 500], fallback: 200 });
    const { queue, records, delays } = setup();
    queue.enqueue(job(target.url));
    await queue.idle();
    expect(target.messages.map((m) => m.status)).toEqual([500, 500, 200]);
    expect(target.messages.every((m) => (m.body as { text: string }).text === 'hello: test message')).toBe(true);
    expect(delays).toEqual([10, 20]);
    expect(records).toEqual([
      expect.objectContaining({
        siteId: 'site_1',
        webhookId: `hook_${new URL(target.url).port}`,
        kind: 'test',
        status: 'delivered',
        httpStatus: 200,
        error: null,
        attempts: 3,
      }),
    ]);
  });

  it('jitter keeps at least half of the backoff', async () => {
    const target = await receiver({ script: [503, 503, 503], fallback: 200 });
    const { queue, delays } = setup({ random: () => 0 });
    queue.enqueue(job(target.url));
    await queue.idle();
    expect(delays).toEqual([5, 10, 20]);
  });

  it('gives up after maxAttempts and records the last error; honours Retry-After up to maxDelayMs', async () => {
    const target = await receiver({ fallback: 429 });
    const { queue, records, delays } = setup({ maxAttempts: 3, maxDelayMs: 500 });
    queue.enqueue(job(target.url));
    await queue.idle();
    expect(target.messages).toHaveLength(3);
    expect(delays).toEqual([10, 20]);
    expect(records[0]).toMatchObject({
      status: 'failed',
      httpStatus: 429,
      attempts: 3,
      error: 'HTTP 429: receiver says no',
    });
  });

  it('does not retry a 4xx that will not change (bad webhook)', async () => {
    const target = await receiver({ fallback: 404 });
    const { queue, records } = setup();
    queue.enqueue(job(target.url));
    await queue.idle();
    expect(target.messages).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'failed', httpStatus: 404, attempts: 1 });
  });

  it('a hanging webhook times out, and neither enqueue nor a healthy webhook waits for it', async () => {
    const hanging = await receiver({ fallback: 'hang' });
    const healthy = await receiver();
    const { queue, records } = setup({ timeoutMs: 1000, maxAttempts: 2, concurrency: 2 });
    const before = performance.now();
    queue.enqueue(job(hanging.url, 'to the hanging one'));
    queue.enqueue(job(healthy.url, 'to the healthy one'));
    expect(performance.now() - before).toBeLessThan(50);
    await healthy.waitFor(1, 2000);
    // The healthy delivery is recorded well before the hanging one's first 1 s timeout.
    await vi.waitFor(() => expect(records.map((r) => r.summary)).toEqual(['to the healthy one']), {
      timeout: 800,
      interval: 5,
    });
    await queue.idle();
    expect(records[1]).toMatchObject({
      summary: 'to the hanging one',
      status: 'failed',
      httpStatus: null,
      attempts: 2,
      error: 'timed out after 1000 ms',
    });
    expect(records[1]!.durationMs).toBeGreaterThanOrEqual(1950);
  });

  it('a dead webhook holds one worker at most: messages to a healthy one still go out at once', async () => {
    const hanging = await receiver({ fallback: 'hang' });
    const healthy = await receiver();
    const { queue, records } = setup({ timeoutMs: 1000, maxAttempts: 1, concurrency: 2 });
    for (let i = 0; i < 3; i++)
      queue.enqueue({ ...job(hanging.url, `dead ${i}`), webhook: { id: 'hook_dead', url: hanging.url } });
    queue.enqueue({ ...job(healthy.url, 'alive'), webhook: { id: 'hook_alive', url: healthy.url } });
    await vi.waitFor(() => expect(records.map((r) => r.summary)).toEqual(['alive']), { timeout: 800, interval: 5 });
    expect(hanging.messages).toHaveLength(1);
    await queue.idle();
    // The dead webhook's messages went one after the other, in order.
    expect(records.map((r) => r.summary)).toEqual(['alive', 'dead 0', 'dead 1', 'dead 2']);
  });

  it('records a refused connection with its cause', async () => {
    const gone = await receiver();
    const url = gone.url;
    await gone.close();
    receivers.pop();
    const { queue, records } = setup({ maxAttempts: 1 });
    queue.enqueue(job(url));
    await queue.idle();
    expect(records[0]).toMatchObject({ status: 'failed', httpStatus: null, attempts: 1 });
    expect(records[0]!.error).toMatch(/ECONNREFUSED/);
  });

  it('drops the oldest message when the queue is full and records the drop', async () => {
    const target = await receiver();
    const { queue, records } = setup({ maxQueued: 2, concurrency: 1 });
    expect(queue.enqueue(job(target.url, 'first'))).toBe(true);
    expect(queue.enqueue(job(target.url, 'second'))).toBe(true);
    expect(queue.enqueue(job(target.url, 'third'))).toBe(false);
    await queue.idle();
    expect(records.find((r) => r.status === 'dropped')).toMatchObject({ summary: 'first', attempts: 0 });
    expect(records.filter((r) => r.status === 'delivered').map((r) => r.summary)).toEqual(['second', 'third']);
    expect(queue.stats()).toMatchObject({ delivered: 2, dropped: 1, failed: 0, queued: 0, active: 0 });
  });

  it('rejects nonsense options with a TypeError that names them', () => {
    expect(() => createDeliveryQueue({ record: async () => {}, concurrency: 0 })).toThrow(/concurrency/);
  });
});
