import type { WatchpostEvent } from '../../protocol/index.js';

/**
 * Where the engine hands finished, sampled events. `push` must be cheap and must never throw;
 * `flush` delivers what is queued; `close` flushes and stops timers.
 *
 * @example
 * const events: WatchpostEvent[] = [];
 * const memorySink: EventSink = { push: (e) => void events.push(e), flush: async () => {}, close: async () => {} };
 */
export interface EventSink {
  push(event: WatchpostEvent): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}
