import type { EventSink } from '../src/core/forward/sink.js';
import type { WatchpostEvent } from '../src/protocol/index.js';

/** An event sink that keeps everything in memory, for tests. */
export function memorySink(): EventSink & { events: WatchpostEvent[]; closed: boolean } {
  const sink = {
    events: [] as WatchpostEvent[],
    closed: false,
    push(event: WatchpostEvent) {
      sink.events.push(event);
    },
    async flush() {},
    async close() {
      sink.closed = true;
    },
  };
  return sink;
}

/** Waits until `check` passes or `ms` elapse (then returns anyway; the caller's expect fails). */
export async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}
