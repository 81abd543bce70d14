import { MAX_AUDIT_PAGE } from '../db/audit.js';

/** How many entries a page of the audit log has unless the caller asks. */
export const DEFAULT_AUDIT_PAGE = 100;

/** A parsed audit query, or what is wrong with it (`field` names the parameter). */
export type AuditQueryResult =
  | { ok: true; since: number; limit: number; cursor: string | null }
  | { ok: false; field: 'since' | 'limit' | 'cursor'; message: string };

/**
 * Parses `since` (epoch ms or an ISO 8601 time such as `2026-12-01` or `2026-12-01T09:00:00Z`),
 * `limit` (1 to `MAX_AUDIT_PAGE`) and `cursor` (from a previous page) as given on a URL or a command line.
 *
 * @example
 * parseAuditQuery({ since: '2026-12-01', limit: '50' }); // { ok: true, since: 1796083200000, limit: 50, cursor: null }
 */
export function parseAuditQuery(raw: { since?: string; limit?: string; cursor?: string }): AuditQueryResult {
  let since = 0;
  if (raw.since !== undefined && raw.since !== '') {
    const text = raw.since.slice(0, 40);
    if (/^\d{1,15}$/.test(text)) since = Number(text);
    else if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) {
      since = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    } else since = NaN;
    if (!Number.isFinite(since)) {
      return {
        ok: false,
        field: 'since',
        message: `epoch ms or an ISO 8601 time such as 2026-12-01T09:00:00Z, got ${JSON.stringify(text)}`,
      };
    }
  }
  let limit = DEFAULT_AUDIT_PAGE;
  if (raw.limit !== undefined && raw.limit !== '') {
    limit = /^\d{1,4}$/.test(raw.limit) ? Number(raw.limit) : 0;
    if (limit < 1 || limit > MAX_AUDIT_PAGE) {
      return {
        ok: false,
        field: 'limit',
        message: `an integer from 1 to ${MAX_AUDIT_PAGE}, got ${JSON.stringify(raw.limit.slice(0, 20))}`,
      };
    }
  }
  const cursor = raw.cursor === undefined || raw.cursor === '' ? null : raw.cursor;
  if (cursor !== null && !/^\d{1,15}\.\d{1,15}$/.test(cursor)) {
    return { ok: false, field: 'cursor', message: 'pass the `next` value of the previous page unchanged' };
  }
  return { ok: true, since, limit, cursor };
}
