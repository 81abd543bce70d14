import type Database from 'better-sqlite3';
import {
  AUDIT_COLUMNS,
  auditCursor,
  auditValues,
  MAX_AUDIT_PAGE,
  parseAuditCursor,
  toAuditEntry,
  type AuditRow,
  type AuditStore,
  type NewAuditEntry,
  type AuditEntry,
} from '../audit.js';

/**
 * The audit-log insert of a connection, for stores that record a change in the change's own transaction.
 *
 * @example
 * const append = sqliteAuditAppender(db);
 * db.transaction(() => { change(); append(siteId, entry, now); })();
 */
export function sqliteAuditAppender(db: Database.Database) {
  const insert = db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return function appendAuditRow(siteId: string, entry: NewAuditEntry, now: number): AuditEntry {
    const values = auditValues(siteId, entry, now);
    const id = Number(insert.run(...values).lastInsertRowid);
    const [, , , , , , , , before, after] = values as Array<string | null>;
    return toAuditEntry({
      id,
      site_id: siteId,
      at: now,
      actor_kind: entry.actor.kind,
      actor_label: entry.actor.label,
      actor_key_id: entry.actor.keyId,
      action: entry.action,
      target: entry.target,
      reason: entry.reason,
      before: before ?? null,
      after: after ?? null,
    });
  };
}

/**
 * The audit log on SQLite.
 *
 * @example
 * const audit = sqliteAuditStore(db);
 * await audit.listAudit(siteId, { since: 0, limit: 100 });
 */
export function sqliteAuditStore(db: Database.Database): AuditStore {
  const append = sqliteAuditAppender(db);
  const page = db.prepare<[string, number, number, number, number, number], AuditRow>(
    `SELECT * FROM audit_log WHERE site_id = ? AND at >= ? AND (at > ? OR (at = ? AND id > ?))
     ORDER BY at, id LIMIT ?`,
  );
  const purge = db.prepare<[number]>('DELETE FROM audit_log WHERE at < ?');
  return {
    async appendAudit(siteId, entry, now) {
      return append(siteId, entry, now);
    },
    async purgeAuditBefore(before) {
      return purge.run(before).changes;
    },
    async listAudit(siteId, { since, cursor, limit }) {
      const after = cursor ? parseAuditCursor(cursor) : null;
      if (cursor && !after) return { entries: [], next: null };
      const n = Math.max(1, Math.min(MAX_AUDIT_PAGE, Math.floor(limit)));
      const at = after?.at ?? -1;
      const rows = page.all(siteId, since, at, at, after?.id ?? 0, n);
      const entries = rows.map(toAuditEntry);
      const last = entries.at(-1);
      return { entries, next: entries.length === n && last ? auditCursor(last) : null };
    },
  };
}
