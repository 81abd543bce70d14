/**
 * The demo's compressed clock. The traffic player moves it forward as it sends the requests of
 * the simulated day, and the example apps run in the same process with `now: clock.now`, so the
 * middleware stamps events, counts sliding windows and expires bans in simulated time.
 */
export interface SimulatedClock {
  /** Current simulated time, epoch ms. Pass this as the middleware's `now`. */
  readonly now: () => number;
  /** Moves the clock to `ts`; it never goes backwards. */
  advanceTo(ts: number): void;
  /** From now on follow `realNow` (never going backwards): the simulated day is over. */
  release(): void;
}

/**
 * Creates a simulated clock starting at `start` (epoch ms); `realNow` is the wall clock it
 * follows once released.
 *
 * @example
 * const clock = createSimulatedClock(Date.parse('2026-11-26T00:00:00+09:00'));
 * clock.advanceTo(clock.now() + 60_000);
 */
export function createSimulatedClock(start: number, realNow: () => number = Date.now): SimulatedClock {
  if (!Number.isFinite(start)) throw new TypeError(`start must be epoch ms, got ${String(start)}`);
  let current = start;
  let released = false;
  return {
    now: () => {
      if (released) current = Math.max(current, realNow());
      return current;
    },
    advanceTo(ts) {
      if (ts > current) current = ts;
    },
    release() {
      released = true;
    },
  };
}
