/**
 * Errors counted locally and waiting to be sent to a shared ban store, summed per client so a
 * batch costs one entry per client, not one per error. Holds at most `maxClients` clients: an
 * error of a further client is dropped (and counted), while clients already held keep counting.
 */
export interface PendingCounts {
  /** Adds one error of `clientKey` at `now`; false when it was dropped because the buffer is full. */
  add(clientKey: string, now: number): boolean;
  /**
   * Hands over everything held and starts afresh. `since` is when the oldest held error was
   * counted, so a store that was down can tell a batch too old to count any more.
   */
  take(): { counts: Map<string, number>; errors: number; since: number };
  /** Clients held. */
  readonly size: number;
  /** Errors held. */
  readonly errors: number;
  /** When the oldest error held was counted (meaningless while empty). */
  readonly since: number;
}

/**
 * @example
 * const pending = createPendingCounts({ maxClients: 10_000 });
 * pending.add('203.0.113.7', Date.now());
 * const { counts } = pending.take(); // Map { '203.0.113.7' => 1 }
 */
export function createPendingCounts({ maxClients }: { maxClients: number }): PendingCounts {
  let counts = new Map<string, number>();
  let errors = 0;
  let since = 0;

  return {
    add(clientKey, now) {
      const held = counts.get(clientKey);
      if (held === undefined) {
        if (counts.size >= maxClients) return false;
        if (counts.size === 0) since = now;
        counts.set(clientKey, 1);
      } else counts.set(clientKey, held + 1);
      errors++;
      return true;
    },
    take() {
      const batch = { counts, errors, since };
      counts = new Map();
      errors = 0;
      return batch;
    },
    get size() {
      return counts.size;
    },
    get errors() {
      return errors;
    },
    get since() {
      return since;
    },
  };
}
