/**
 * The audit log of a site: who changed what, when, and why. Storage only: the actions and their
 * wording live with the routes and commands that record them (`src/audit/`).
 */

/**
 * Who made a change: an admin key (by its label), the `watchpost` CLI on the server, a dashboard user,
 * or an auto-deny policy (labelled with its name).
 */
export interface AuditActor {
  kind: 'key' | 'cli' | 'dashboard' | 'policy';
  /** The admin key's label, `cli`, or the dashboard user's name: data, never markup. */
  label: string;
  /** The key's id when `kind` is `key`, else null. */
  keyId: string | null;
}

/** One change to record. `before`/`after` are JSON values; `boundedJson` keeps them small. */
export interface NewAuditEntry {
  actor: AuditActor;
  /** What happened, e.g. `denylist.add`, `key.revoke`, `site.rename` (see `AUDIT_ACTIONS`). */
  action: string;
  /** The id of what changed (an entry, a key, the site). */
  target: string;
  reason: string;
  before: unknown;
  after: unknown;
}

/** A stored audit entry, as the API and the CLI show it. */
export interface AuditEntry extends NewAuditEntry {
  id: number;
  siteId: string;
  /** Epoch ms. */
  at: number;
}

/** A page of a site's audit log, oldest first; `next` continues after the last entry (null: no more). */
export interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}

/** Query of `listAudit`: entries with `at >= since`, after `cursor` (from a previous page), at most `limit`. */
export interface AuditQuery {
  since: number;
  cursor?: string | null;
  limit: number;
}

/** Most entries one page returns, whatever the caller asks. */
export const MAX_AUDIT_PAGE = 500;

/** Longest `before`/`after` JSON text stored; a longer value is replaced by `{ truncated: true, length }`. */
export const MAX_AUDIT_JSON = 4096;

/** The audit log of each site. */
export interface AuditStore {
  /** Appends an entry at `now` (epoch ms). */
  appendAudit(siteId: string, entry: NewAuditEntry, now: number): Promise<AuditEntry>;
  /** One page of the site's entries, ordered by time then id. A cursor of another site or query finds nothing new. */
  listAudit(siteId: string, query: AuditQuery): Promise<AuditPage>;
  /** Deletes every site's entries from before `before` (epoch ms); returns how many went. */
  purgeAuditBefore(before: number): Promise<number>;
}

/**
 * A value as bounded JSON text: null stays null, anything whose JSON is longer than `MAX_AUDIT_JSON`
 * becomes a small marker, and values JSON cannot hold (a cycle, a BigInt) are recorded as such.
 *
 * @example
 * boundedJson({ value: '198.51.100.7' }); // '{"value":"198.51.100.7"}'
 * boundedJson('x'.repeat(10_000));       // '{"truncated":true,"length":10002}'
 */
export function boundedJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return JSON.stringify({ unserializable: true });
  }
  if (text === undefined) return null;
  return text.length <= MAX_AUDIT_JSON ? text : JSON.stringify({ truncated: true, length: text.length });
}

/**
 * The `next` cursor of a page ending with `entry`, and its parsed form. Opaque to clients.
 *
 * @example
 * const cursor = auditCursor({ at: 1, id: 7 }); // '1.7'
 * parseAuditCursor(cursor); // { at: 1, id: 7 }
 */
export function auditCursor(entry: { at: number; id: number }): string {
  return `${entry.at}.${entry.id}`;
}

/** The position a cursor names, or null for text that is not a cursor. @example parseAuditCursor('1.7') */
export function parseAuditCursor(cursor: string): { at: number; id: number } | null {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(cursor);
  if (!match) return null;
  return { at: Number(match[1]), id: Number(match[2]) };
}

/** A stored audit row of either SQL store (snake_case, JSON as text). */
export interface AuditRow {
  id: number;
  site_id: string;
  at: number;
  actor_kind: AuditActor['kind'];
  actor_label: string;
  actor_key_id: string | null;
  action: string;
  target: string;
  reason: string;
  before: string | null;
  after: string | null;
}

/** @example rows.map(toAuditEntry) */
export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  id: Number(row.id),
  siteId: row.site_id,
  at: Number(row.at),
  actor: { kind: row.actor_kind, label: row.actor_label, keyId: row.actor_key_id },
  action: row.action,
  target: row.target,
  reason: row.reason,
  before: row.before === null ? null : (JSON.parse(row.before) as unknown),
  after: row.after === null ? null : (JSON.parse(row.after) as unknown),
});

/**
 * The column values of an entry, in the order of `AUDIT_COLUMNS`, with `before`/`after` bounded.
 *
 * @example
 * insert.run(...auditValues(siteId, entry, now));
 */
export function auditValues(siteId: string, entry: NewAuditEntry, now: number): unknown[] {
  return [
    siteId,
    now,
    entry.actor.kind,
    entry.actor.label,
    entry.actor.keyId,
    entry.action,
    entry.target,
    entry.reason,
    boundedJson(entry.before),
    boundedJson(entry.after),
  ];
}

/** The columns `auditValues` fills, for INSERT statements. */
export const AUDIT_COLUMNS =
  'site_id, at, actor_kind, actor_label, actor_key_id, action, target, reason, before, after';
