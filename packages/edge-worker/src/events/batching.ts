import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import type { EventSink } from '@watchpost/middleware';

/** Options of {@link createIsolateBatcher}. */
export interface IsolateBatcherOptions {
  /** Where events go: the engine's forwarder (direct mode) or the Queue sink. */
  sink: EventSink;
  /** Events that start a flush at once. */
  batchSize: number;
  /** Longest wait of an event in the isolate before a flush, in ms (kept under waitUntil's 30 s). */
  flushMs: number;
  /** Waits `ms`; injected so tests need no real timers. */
  sleep?: (ms: number) => Promise<void>;
  onError?: (error: unknown) => void;
}

/** The sink to hand the engine, plus the hook that runs after each request. */
export interface IsolateBatcher {
  sink: EventSink;
  /** Events pushed since the last flush started. */
  pending(): number;
  /** After a request: start a flush in `waitUntil` when the batch is full, or arm a delayed one. */
  afterRequest(waitUntil: (promise: Promise<unknown>) => void): void;
}

/**
 * Batches events per isolate. A Worker has no background timers between requests, so the flush runs
 * in the `waitUntil` of the request that fills the batch, or of the first request after an empty
 * buffer, after `flushMs`. Flush errors are swallowed (events are telemetry; a request never fails).
 *
 * @example
 * const batcher = createIsolateBatcher({ sink: forwarder, batchSize: 100, flushMs: 5000 });
 * const engine = createEngine({ sink: batcher.sink });
 * batcher.afterRequest((p) => ctx.waitUntil(p));
 */
export function createIsolateBatcher({
  sink,
  batchSize,
  flushMs,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  onError = () => {},
}: IsolateBatcherOptions): IsolateBatcher {
  let pending = 0;
  let timerArmed = false;

  async function flushNow(): Promise<void> {
    pending = 0;
    try {
      await sink.flush();
    } catch (error) {
      onError(error);
    }
  }

  const countingSink: EventSink = {
    push(event: WatchpostEvent) {
      pending += 1;
      sink.push(event);
    },
    flush: flushNow,
    close: () => sink.close(),
  };

  return {
    sink: countingSink,
    pending: () => pending,
    afterRequest(waitUntil) {
      if (pending === 0) return;
      if (pending >= batchSize || flushMs === 0) {
        waitUntil(flushNow());
        return;
      }
      if (timerArmed) return;
      timerArmed = true;
      waitUntil(
        sleep(flushMs).then(async () => {
          timerArmed = false;
          if (pending > 0) await flushNow();
        }),
      );
    },
  };
}
