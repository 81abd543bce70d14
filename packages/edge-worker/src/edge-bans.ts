import type { DenyEntry } from '@watchpost/middleware/protocol';

/** Bans the bursts Durable Object reported, merged into the deny list the engine matches against. */
export interface EdgeBans {
  /** Adds or extends a ban; returns true when the engine's list must be rebuilt. */
  add(clientKey: string, until: number, now: number): boolean;
  /** The KV deny list plus the live edge bans (expired ones dropped). */
  merge(entries: readonly DenyEntry[], now: number): DenyEntry[];
  readonly size: number;
}

/**
 * Keeps an isolate's copy of bans decided by the `BURSTS` Durable Object. They go to the engine as
 * ordinary deny entries (`source: 'auto'`, with `expiresAt`), so matching stays the engine's job.
 * At most `maxBans` are held; the one ending soonest is dropped first.
 *
 * @example
 * const bans = createEdgeBans();
 * if (bans.add('203.0.113.7', verdict.bannedUntil, Date.now())) engine.setDenyList(bans.merge(kvEntries, Date.now()));
 */
export function createEdgeBans({ maxBans = 10_000 }: { maxBans?: number } = {}): EdgeBans {
  const bans = new Map<string, DenyEntry>();

  function prune(now: number): void {
    for (const [key, entry] of bans) if ((entry.expiresAt ?? Infinity) <= now) bans.delete(key);
    while (bans.size > maxBans) {
      let soonest: string | null = null;
      let soonestAt = Infinity;
      for (const [key, entry] of bans) {
        if ((entry.expiresAt ?? Infinity) < soonestAt) {
          soonest = key;
          soonestAt = entry.expiresAt ?? Infinity;
        }
      }
      if (soonest === null) break;
      bans.delete(soonest);
    }
  }

  return {
    add(clientKey, until, now) {
      const known = bans.get(clientKey);
      if (until <= now || (known && (known.expiresAt ?? 0) >= until)) return false;
      bans.set(clientKey, {
        id: `edge-burst:${clientKey}`,
        value: clientKey,
        reason: 'burst of 4xx/5xx counted across isolates',
        source: 'auto',
        createdAt: now,
        expiresAt: until,
      });
      prune(now);
      return true;
    },
    merge(entries, now) {
      prune(now);
      return bans.size === 0 ? [...entries] : [...entries, ...bans.values()];
    },
    get size() {
      return bans.size;
    },
  };
}
