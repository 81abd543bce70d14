import type { DenyEntry } from '@watchpost/middleware/protocol';
import { bounded } from '../bounded.js';
import { DENYLIST_KEY, parseStoredDenyList } from './stored.js';

/** Options of {@link createDenyListCache}. */
export interface DenyListCacheOptions {
  kv: KVNamespace;
  /** How long the in-memory copy is trusted before KV is read again, in ms. */
  ttlMs: number;
  /**
   * Called with the entries and the allowed clients whenever KV holds a new version (compile them
   * here, once).
   */
  onUpdate: (entries: readonly DenyEntry[], version: string, allow: readonly string[]) => void;
  onError?: (error: unknown) => void;
  now?: () => number;
  /** A KV read slower than this counts as failed, so a hung read cannot block later ones (default 5000 ms). */
  readTimeoutMs?: number;
}

/** An isolate's view of the deny list in KV. */
export interface DenyListCache {
  /**
   * Starts a KV read when the copy is older than the TTL and none is running; returns that read
   * (or null when the copy is fresh). Never rejects: a failed read keeps the last good copy.
   */
  refresh(): Promise<void> | null;
  /** True once a list was loaded from KV in this isolate. */
  readonly loaded: boolean;
  /** The version of the copy in memory, or null. */
  readonly version: string | null;
  /**
   * Takes a list this isolate just pulled and wrote to KV (a deny-list notice), so it is enforced
   * here at once rather than after the TTL and KV's own caching.
   */
  accept(list: { entries: readonly DenyEntry[]; version: string; allow?: readonly string[] | undefined }): void;
}

/**
 * Keeps an isolate's copy of the deny list that the cron trigger stored in KV. KV missing, empty,
 * unreadable or holding junk: the last good copy stays in force.
 *
 * @example
 * const cache = createDenyListCache({ kv: env.DENYLIST, ttlMs: 30_000,
 *   onUpdate: (entries) => engine.setDenyList(entries) });
 * const reading = cache.refresh();
 * if (reading) ctx.waitUntil(reading);
 */
export function createDenyListCache({
  kv,
  ttlMs,
  onUpdate,
  onError = () => {},
  now = Date.now,
  readTimeoutMs = 5_000,
}: DenyListCacheOptions): DenyListCache {
  let version: string | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | null = null;

  async function readWithTimeout(): Promise<unknown> {
    // A read from KV is JSON or null, never undefined: undefined means the time ran out.
    const value = await bounded(kv.get(DENYLIST_KEY, 'json'), readTimeoutMs);
    if (value === undefined) throw new Error(`KV read of the deny list took more than ${readTimeoutMs} ms`);
    return value;
  }

  async function read(): Promise<void> {
    try {
      const stored = parseStoredDenyList(await readWithTimeout());
      if (stored && stored.version !== version) {
        onUpdate(stored.entries, stored.version, stored.allow ?? []);
        version = stored.version;
      }
    } catch (error) {
      onError(error);
    } finally {
      checkedAt = now();
      reading = null;
    }
  }

  return {
    refresh() {
      if (reading) return reading;
      if (now() - checkedAt < ttlMs) return null;
      reading = read();
      return reading;
    },
    get loaded() {
      return version !== null;
    },
    get version() {
      return version;
    },
    accept(list) {
      if (list.version !== version) {
        onUpdate(list.entries, list.version, list.allow ?? []);
        version = list.version;
      }
      checkedAt = now();
    },
  };
}
