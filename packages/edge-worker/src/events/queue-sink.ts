import type { EventBatch, WatchpostEvent } from '@watchpost/middleware/protocol';
import type { EventSink } from '@watchpost/middleware';

/** Options of {@link createQueueSink}. */
export interface QueueSinkOptions {
  queue: Queue<EventBatch>;
  /** Most events held in the isolate; past it the oldest are dropped and counted (default 10000). */
  maxQueue?: number;
  /** Most bytes of JSON per queue message; Queues accept 128 KB (default 100000). */
  maxMessageBytes?: number;
  onError?: (error: unknown) => void;
  newBatchId?: () => string;
}

/** An {@link EventSink} that also says how many events wait and how many were dropped. */
export interface QueueSink extends EventSink {
  pending(): number;
  stats(): { sent: number; dropped: number; failedSends: number };
}

// Queues take at most 100 messages and 256 KB per sendBatch call.
const MAX_MESSAGES_PER_SEND = 100;
const MAX_BYTES_PER_SEND = 250_000;

/**
 * An event sink that hands batches to a Cloudflare Queue; the queue consumer forwards them to the
 * report API with retries. `push` only buffers; `flush` (run in `ctx.waitUntil`) sends. A failed send
 * puts the events back (bounded by `maxQueue`); nothing here throws into a request.
 *
 * @example
 * const sink = createQueueSink({ queue: env.EVENTS_QUEUE });
 * const engine = createEngine({ sink });
 * ctx.waitUntil(sink.flush());
 */
export function createQueueSink({
  queue,
  maxQueue = 10_000,
  maxMessageBytes = 100_000,
  onError = () => {},
  newBatchId = () => crypto.randomUUID(),
}: QueueSinkOptions): QueueSink {
  let buffer: WatchpostEvent[] = [];
  let dropped = 0;
  let sent = 0;
  let failedSends = 0;
  // Every message is at most maxMessageBytes, so one sendBatch call fits this many (at least one).
  const messagesPerSend = Math.max(
    1,
    Math.min(MAX_MESSAGES_PER_SEND, Math.floor(MAX_BYTES_PER_SEND / maxMessageBytes)),
  );

  function keepWithinBounds(): void {
    if (buffer.length > maxQueue) {
      const excess = buffer.length - maxQueue;
      buffer.splice(0, excess);
      dropped += excess;
    }
  }

  function toBatches(events: WatchpostEvent[], droppedSoFar: number): EventBatch[] {
    const batches: EventBatch[] = [];
    let current: WatchpostEvent[] = [];
    let bytes = 0;
    for (const event of events) {
      const size = JSON.stringify(event).length + 1;
      if (current.length > 0 && bytes + size > maxMessageBytes) {
        batches.push({ batchId: newBatchId(), source: 'edge-worker', events: current });
        current = [];
        bytes = 0;
      }
      current.push(event);
      bytes += size;
    }
    if (current.length > 0) batches.push({ batchId: newBatchId(), source: 'edge-worker', events: current });
    const first = batches[0];
    if (first && droppedSoFar > 0) first.dropped = droppedSoFar;
    return batches;
  }

  async function flush(): Promise<void> {
    if (buffer.length === 0) return;
    const events = buffer;
    const droppedSoFar = dropped;
    buffer = [];
    dropped = 0;
    const batches = toBatches(events, droppedSoFar);
    let start = 0;
    while (start < batches.length) {
      const end = Math.min(batches.length, start + messagesPerSend);
      const chunk = batches.slice(start, end);
      try {
        await queue.sendBatch(chunk.map((body) => ({ body, contentType: 'json' as const })));
        sent += chunk.reduce((sum, batch) => sum + batch.events.length, 0);
      } catch (error) {
        failedSends += 1;
        onError(error);
        // Put the unsent events back in front of newer ones; the bound still holds.
        const unsent = batches.slice(start).flatMap((batch) => batch.events);
        buffer = unsent.concat(buffer);
        if (start === 0) dropped += droppedSoFar;
        keepWithinBounds();
        return;
      }
      start = end;
    }
  }

  return {
    push(event) {
      buffer.push(event);
      keepWithinBounds();
    },
    flush,
    close: flush,
    pending: () => buffer.length,
    stats: () => ({ sent, dropped, failedSends }),
  };
}
