import type { ChangeBy } from '../db/keys.js';
import type { Store } from '../db/store.js';

/**
 * Records a change already made (a deny- or allow-list entry added or removed) in the site's audit log.
 * The change stands whatever happens here: a failed record is logged, never turned into a failed
 * request that a client would retry (and so make twice).
 *
 * @example
 * const by = changeByKey(c.get('key'), reason);
 * await recordChange(deps, siteId, by, 'denylist.add', entry.id, { before: null, after: entry });
 */
export async function recordChange(
  deps: { store: Store; now: () => number; logError: (error: unknown) => void },
  siteId: string,
  by: ChangeBy,
  action: string,
  target: string,
  { before, after }: { before: unknown; after: unknown },
): Promise<void> {
  try {
    await deps.store.appendAudit(siteId, { ...by, action, target, before, after }, deps.now());
  } catch (error) {
    deps.logError(error);
  }
}
