import { describe, expect, it } from 'vitest';
import type { EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import { sampleBatch } from '../test-support/fakes.js';
import { createQueueSink } from './queue-sink.js';

function event(path: string): WatchpostEvent {
  return { ...sampleBatch().events[0]!, path };
}

function recordingQueue() {
  const sends: EventBatch[][] = [];
  let failing = false;
  const queue = {
    send: async () => {},
    sendBatch: async (messages: Iterable<MessageSendRequest<EventBatch>>) => {
      if (failing) throw new Error('queue unavailable');
      sends.push([...messages].map((message) => message.body));
    },
  } as unknown as Queue<EventBatch>;
  return { queue, sends, fail: (value: boolean) => void (failing = value) };
}

describe('createQueueSink', () => {
  it('buffers on push and sends edge-worker batches on flush', async () => {
    const { queue, sends } = recordingQueue();
    let id = 0;
    const sink = createQueueSink({ queue, newBatchId: () => `batch-${++id}-xxxx` });
    sink.push(event('/a'));
    sink.push(event('/b'));
    expect(sends).toEqual([]);
    expect(sink.pending()).toBe(2);
    await sink.flush();
    expect(sends).toHaveLength(1);
    expect(sends[0]).toEqual([{ batchId: 'batch-1-xxxx', source: 'edge-worker', events: [event('/a'), event('/b')] }]);
    expect(sink.pending()).toBe(0);
    expect(sink.stats()).toEqual({ sent: 2, dropped: 0, failedSends: 0 });
    await sink.flush();
    expect(sends).toHaveLength(1);
  });

  it('splits into messages under the size limit', async () => {
    const { queue, sends } = recordingQueue();
    const sink = createQueueSink({ queue, maxMessageBytes: 1_000 });
    for (let i = 0; i < 20; i++) sink.push(event(`/${'x'.repeat(200)}/${i}`));
    await sink.flush();
    const batches = sends.flat();
    expect(batches.length).toBeGreaterThan(4);
    for (const batch of batches) expect(JSON.stringify(batch.events).length).toBeLessThan(1_100);
    expect(batches.flatMap((batch) => batch.events.map((e) => e.path.split('/').at(-1)))).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i)),
    );
    expect(new Set(batches.map((batch) => batch.batchId)).size).toBe(batches.length);
  });

  it('drops the oldest past maxQueue, counts them, and reports the count on the next batch', async () => {
    const { queue, sends } = recordingQueue();
    const sink = createQueueSink({ queue, maxQueue: 3 });
    for (const path of ['/1', '/2', '/3', '/4', '/5']) sink.push(event(path));
    await sink.flush();
    expect(sends[0]?.[0]?.events.map((e) => e.path)).toEqual(['/3', '/4', '/5']);
    expect(sends[0]?.[0]?.dropped).toBe(2);
  });

  it('keeps the events of a failed send for the next flush, never throws', async () => {
    const { queue, sends, fail } = recordingQueue();
    const errors: unknown[] = [];
    const sink = createQueueSink({ queue, onError: (error) => errors.push(error) });
    sink.push(event('/kept'));
    fail(true);
    await expect(sink.flush()).resolves.toBeUndefined();
    expect(sink.pending()).toBe(1);
    expect(String(errors[0])).toMatch(/queue unavailable/);
    fail(false);
    sink.push(event('/later'));
    await sink.flush();
    expect(sends.flat().flatMap((batch) => batch.events.map((e) => e.path))).toEqual(['/kept', '/later']);
    expect(sink.stats()).toMatchObject({ sent: 2, failedSends: 1 });
  });
});
