/** Options of `createDenyListWatch`. */
export interface DenyListWatchOptions {
  /** The served version of a site's deny list now (the ETag without quotes). */
  versionOf: (siteId: string) => Promise<string>;
  /**
   * How often a site with waiters is re-read. Changes made through this process are seen at once
   * (`notify`); this catches the rest: other instances on the same database, the dashboard, expiry.
   * Default 1000 ms.
   */
  recheckMs?: number;
  /** Requests held at once across all sites; one more is answered at once. Default 10,000. */
  maxWaiters?: number;
  onError?: (error: unknown) => void;
  /** Told about every `notify` (a change made in this process), e.g. to notify the edge workers. */
  onChange?: (siteId: string) => void;
}

/** Held `GET /v1/denylist` requests, woken when their site's list changes. */
export interface DenyListWatch {
  /**
   * Resolves when the site's version differs from `version`, after `timeoutMs`, or when `signal`
   * aborts, whichever comes first; true when the list changed. Resolves false at once when
   * `maxWaiters` requests are already held.
   */
  wait(siteId: string, version: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Re-reads the site's version now (call after a change made in this process). */
  notify(siteId: string): void;
  stats(): { waiting: number; sites: number; refused: number };
}

interface Waiter {
  version: string;
  done: (changed: boolean) => void;
}

interface Watched {
  waiters: Set<Waiter>;
  timer: ReturnType<typeof setInterval>;
  reading: boolean;
  again: boolean;
}

/**
 * One re-read per watched site per `recheckMs`, however many instances wait on it, so 1,000 idle
 * app instances cost one small query a second, not a thousand.
 *
 * @example
 * const watch = createDenyListWatch({
 *   versionOf: async (id) => denyListVersion(await store.listDenyEntries(id, Date.now())),
 * });
 * const changed = await watch.wait(siteId, currentVersion, 25_000, request.signal);
 */
export function createDenyListWatch({
  versionOf,
  recheckMs = 1000,
  maxWaiters = 10_000,
  onError = () => {},
  onChange,
}: DenyListWatchOptions): DenyListWatch {
  if (!(Number.isFinite(recheckMs) && recheckMs > 0))
    throw new TypeError(`recheckMs must be a positive number of ms, got ${JSON.stringify(recheckMs)}`);
  if (!(Number.isInteger(maxWaiters) && maxWaiters >= 0))
    throw new TypeError(`maxWaiters must be a non-negative integer, got ${JSON.stringify(maxWaiters)}`);
  const sites = new Map<string, Watched>();
  let waiting = 0;
  let refused = 0;

  async function recheck(siteId: string): Promise<void> {
    const watched = sites.get(siteId);
    if (watched === undefined) return;
    if (watched.reading) {
      watched.again = true;
      return;
    }
    watched.reading = true;
    try {
      const version = await versionOf(siteId);
      for (const waiter of watched.waiters) if (waiter.version !== version) waiter.done(true);
    } catch (error) {
      onError(error);
    } finally {
      watched.reading = false;
      if (watched.again) {
        watched.again = false;
        void recheck(siteId);
      }
    }
  }

  function watch(siteId: string): Watched {
    let watched = sites.get(siteId);
    if (watched === undefined) {
      const timer = setInterval(() => void recheck(siteId), recheckMs);
      (timer as { unref?: () => void }).unref?.();
      watched = { waiters: new Set(), timer, reading: false, again: false };
      sites.set(siteId, watched);
    }
    return watched;
  }

  return {
    wait(siteId, version, timeoutMs, signal) {
      if (waiting >= maxWaiters || signal?.aborted === true) {
        if (waiting >= maxWaiters) refused++;
        return Promise.resolve(false);
      }
      const watched = watch(siteId);
      return new Promise<boolean>((resolve) => {
        const waiter: Waiter = {
          version,
          done(changed) {
            if (!watched.waiters.delete(waiter)) return;
            waiting--;
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            if (watched.waiters.size === 0 && sites.get(siteId) === watched) {
              clearInterval(watched.timer);
              sites.delete(siteId);
            }
            resolve(changed);
          },
        };
        const onAbort = () => waiter.done(false);
        const timer = setTimeout(() => waiter.done(false), Math.max(0, timeoutMs));
        (timer as { unref?: () => void }).unref?.();
        signal?.addEventListener('abort', onAbort, { once: true });
        watched.waiters.add(waiter);
        waiting++;
      });
    },
    notify(siteId) {
      void recheck(siteId);
      try {
        onChange?.(siteId);
      } catch (error) {
        onError(error);
      }
    },
    stats: () => ({ waiting, sites: sites.size, refused }),
  };
}
