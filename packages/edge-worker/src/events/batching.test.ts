import { describe, expect, it } from 'vitest';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { sampleBatch } from '../test-support/fakes.js';
import { createIsolateBatcher } from './batching.js';

function recordingSink() {
  const pushed: WatchpostEvent[] = [];
  let flushes = 0;
  let failing = false;
  return {
    pushed,
    flushes: () => flushes,
    fail: () => void (failing = true),
    sink: {
      push: (event: WatchpostEvent) => void pushed.push(event),
      flush: async () => {
        flushes += 1;
        if (failing) throw new Error('sink down');
      },
      close: async () => {},
    },
  };
}

function manualSleep() {
  const waiting: (() => void)[] = [];
  return {
    sleep: (_ms: number) => new Promise<void>((resolve) => waiting.push(resolve)),
    fire: () => waiting.splice(0).forEach((resolve) => resolve()),
    armed: () => waiting.length,
  };
}

const event = sampleBatch().events[0]!;

describe('createIsolateBatcher', () => {
  it('flushes at once when the batch is full', async () => {
    const target = recordingSink();
    const clock = manualSleep();
    const batcher = createIsolateBatcher({ sink: target.sink, batchSize: 3, flushMs: 5_000, sleep: clock.sleep });
    const waited: Promise<unknown>[] = [];
    for (let i = 0; i < 3; i++) batcher.sink.push(event);
    batcher.afterRequest((promise) => waited.push(promise));
    await Promise.all(waited);
    expect(target.flushes()).toBe(1);
    expect(target.pushed).toHaveLength(3);
    expect(batcher.pending()).toBe(0);
  });

  it('arms one delayed flush for a partial batch, inside waitUntil', async () => {
    const target = recordingSink();
    const clock = manualSleep();
    const batcher = createIsolateBatcher({ sink: target.sink, batchSize: 100, flushMs: 5_000, sleep: clock.sleep });
    const waited: Promise<unknown>[] = [];
    batcher.sink.push(event);
    batcher.afterRequest((promise) => waited.push(promise));
    batcher.sink.push(event);
    batcher.afterRequest((promise) => waited.push(promise));
    expect(waited).toHaveLength(1);
    expect(clock.armed()).toBe(1);
    expect(target.flushes()).toBe(0);
    clock.fire();
    await Promise.all(waited);
    expect(target.flushes()).toBe(1);
    batcher.sink.push(event);
    batcher.afterRequest((promise) => waited.push(promise));
    expect(clock.armed()).toBe(1);
  });

  it('does nothing after a request that produced no event', () => {
    const target = recordingSink();
    const batcher = createIsolateBatcher({ sink: target.sink, batchSize: 1, flushMs: 0 });
    const waited: Promise<unknown>[] = [];
    batcher.afterRequest((promise) => waited.push(promise));
    expect(waited).toEqual([]);
  });

  it('swallows a failing flush and reports it', async () => {
    const target = recordingSink();
    target.fail();
    const errors: unknown[] = [];
    const batcher = createIsolateBatcher({
      sink: target.sink,
      batchSize: 1,
      flushMs: 0,
      onError: (e) => errors.push(e),
    });
    const waited: Promise<unknown>[] = [];
    batcher.sink.push(event);
    batcher.afterRequest((promise) => waited.push(promise));
    await expect(Promise.all(waited)).resolves.toBeDefined();
    expect(String(errors[0])).toMatch(/sink down/);
  });
});
