import type { AuditActor } from '../db/audit.js';
import type { ChangeBy } from '../db/keys.js';

/**
 * The actor of changes made with `watchpost` on the server (whoever can read the database).
 *
 * @example
 * await store.revokeKey(siteId, keyId, { actor: CLI_ACTOR, reason: '' }, Date.now());
 */
export const CLI_ACTOR: AuditActor = Object.freeze({ kind: 'cli', label: 'cli', keyId: null });

/**
 * The actor of a change made with an admin key: the key's label and id.
 *
 * @example
 * const by = changeByKey(c.get('key'), 'rotated after a leak');
 */
export function changeByKey(key: { id: string; label: string }, reason: string): ChangeBy {
  return { actor: { kind: 'key', label: key.label, keyId: key.id }, reason };
}

/**
 * The actor of a change made on the dashboard: the signed-in user (or the label of the admin key the
 * session was opened with) and that key's id when known. For the dashboard's deny-list buttons.
 *
 * @example
 * await recordChange(deps, site.id, changeByDashboard('alice', null, 'scanner'), 'denylist.add', entry.id, change);
 */
export function changeByDashboard(user: string, keyId: string | null, reason: string): ChangeBy {
  return { actor: { kind: 'dashboard', label: user, keyId }, reason };
}
