import type pg from 'pg';
import {
  AUDIT_COLUMNS,
  auditCursor,
  auditValues,
  MAX_AUDIT_PAGE,
  parseAuditCursor,
  toAuditEntry,
  type AuditEntry,
  type AuditRow,
  type AuditStore,
  type NewAuditEntry,
} from '../audit.js';
import { changes, rows, statement, type Queryable } from './pool.js';

const insert = statement(
  `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
);
// A scan of the table, hourly: the audit log holds a few rows a day per site.
const purge = statement('DELETE FROM audit_log WHERE at < $1');
const page = statement(
  `SELECT * FROM audit_log WHERE site_id = $1 AND at >= $2 AND (at > $3 OR (at = $3 AND id > $4))
   ORDER BY at, id LIMIT $5`,
);

/**
 * Appends an audit entry on a pool or inside a transaction (`client`), so a change and its record commit together.
 *
 * @example
 * await transaction(pool, async (client) => {
 *   await change(client);
 *   await appendAuditRow(client, siteId, entry, now);
 * });
 */
export async function appendAuditRow(
  db: Queryable,
  siteId: string,
  entry: NewAuditEntry,
  now: number,
): Promise<AuditEntry> {
  const [row] = await rows<AuditRow>(db, insert, auditValues(siteId, entry, now));
  return toAuditEntry(row!);
}

/**
 * The audit log on PostgreSQL (same order, cursors and bounds as on SQLite).
 *
 * @example
 * const audit = postgresAuditStore(pool);
 * await audit.listAudit(siteId, { since: 0, limit: 100 });
 */
export function postgresAuditStore(pool: pg.Pool): AuditStore {
  return {
    appendAudit: (siteId, entry, now) => appendAuditRow(pool, siteId, entry, now),
    purgeAuditBefore: (before) => changes(pool, purge, [before]),
    async listAudit(siteId, { since, cursor, limit }) {
      const after = cursor ? parseAuditCursor(cursor) : null;
      if (cursor && !after) return { entries: [], next: null };
      const n = Math.max(1, Math.min(MAX_AUDIT_PAGE, Math.floor(limit)));
      const found = await rows<AuditRow>(pool, page, [siteId, since, after?.at ?? -1, after?.id ?? 0, n]);
      const entries = found.map(toAuditEntry);
      const last = entries.at(-1);
      return { entries, next: entries.length === n && last ? auditCursor(last) : null };
    },
  };
}
