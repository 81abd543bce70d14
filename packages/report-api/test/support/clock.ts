import type { Timers } from '../../src/alerts/scheduler.js';

/**
 * A manual clock with timers, for tests of code that takes `now` and `Timers`. `advanceTo` fires
 * due timers in order, moving `now` to each one's due time, and lets the promises they start settle.
 *
 * @example
 * const clock = createManualClock(Date.parse('2026-01-02T00:00:00Z'));
 * const scheduler = createReportScheduler({ store, sendReport, now: clock.now, timers: clock.timers });
 * await clock.advanceTo(Date.parse('2026-01-02T09:00:00Z'));
 */
export function createManualClock(start: number) {
  let current = start;
  let nextId = 1;
  const pending = new Map<number, { due: number; callback: () => void }>();

  const settle = async () => {
    // Timer callbacks start async work (store reads, sends) that re-arms a timer when done.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };

  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = nextId++;
      pending.set(id, { due: current + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };

  return {
    now: () => current,
    timers,
    set(epochMs: number) {
      current = epochMs;
    },
    /** Fires every timer due up to `target` (bounded to 100,000 firings), then sets now to `target`. */
    async advanceTo(target: number): Promise<void> {
      for (let fired = 0; fired < 100_000; fired++) {
        let nextEntry: [number, { due: number; callback: () => void }] | undefined;
        for (const entry of pending) if (!nextEntry || entry[1].due < nextEntry[1].due) nextEntry = entry;
        if (!nextEntry || nextEntry[1].due > target) break;
        pending.delete(nextEntry[0]);
        current = Math.max(current, nextEntry[1].due);
        nextEntry[1].callback();
        await settle();
      }
      current = Math.max(current, target);
    },
    pendingTimers: () => pending.size,
  };
}
