import type Database from 'better-sqlite3';
import {
  KIND_COLUMNS,
  KIND_FILTERS,
  kindEvent,
  rateLimitedSql,
  toEvent,
  toRateLimitedClient,
  type EventRow,
  type KindTuple,
  type RateClientRow,
} from '../rows.js';
import {
  MAX_KIND_LIST,
  MAX_PROBED_PATHS,
  PROBE_ROWS,
  type EventKind,
  type EventStore,
  type PeakMinute,
} from '../store.js';
import { MINUTE_MS, minuteSpan, perMinuteSql } from './minutes.js';

const MAX_LIST = 10_000;

/**
 * The SQL of `listKind` for one kind: its partial index (migrations 0017 and 0024, which holds every
 * column selected) named, so no statistics can steer SQLite to a scan of every event of the day.
 */
export const kindSql = (kind: EventKind): string =>
  `SELECT ${KIND_COLUMNS} FROM events INDEXED BY events_site_ts_${kind} WHERE site_id = ? AND ts >= ? AND ts < ?` +
  `${KIND_FILTERS[kind]} ORDER BY ts DESC, id DESC LIMIT ?`;

/** The listing query (not by IP) with extra `filters`. */
export const listSql = (filters: string): string =>
  `SELECT * FROM events WHERE site_id = ? AND ts >= ? AND ts < ?${filters} ORDER BY ts DESC, id DESC LIMIT ?`;

/**
 * Raw-event listing on SQLite (read only, so any connection to the database can serve it): newest
 * first, by IP through the per-minute index, by country or path as filters.
 *
 * @example
 * const { listEvents } = sqliteEventList(db);
 * await listEvents(siteId, { from, to, ip: '203.0.113.9', limit: 50 });
 */
export function sqliteEventList(
  db: Database.Database,
): Pick<EventStore, 'listEvents' | 'listKind' | 'peakMinute' | 'probedPaths' | 'rateLimitedClients'> {
  const listQuery = (filters: string) => db.prepare<unknown[], EventRow>(listSql(filters));
  const listByIpQuery = (filters: string) =>
    db.prepare<unknown[], EventRow>(
      perMinuteSql('ip', 'ip = ?', '*', `AND ts >= ? AND ts < ?${filters}`, 'ORDER BY ts DESC, id DESC LIMIT ?'),
    );
  const listStatements = new Map<string, Database.Statement<unknown[], EventRow>>();
  const spanOf = minuteSpan(db);
  // Index-only: each kind's partial index holds every column selected (the rowid is the id).
  // Rows as arrays, in KIND_COLUMNS order: better-sqlite3 builds them for less than objects (a
  // day's 93,000 login attempts: 276 against 412 ms).
  const kindStatements = {
    login: db.prepare<unknown[], KindTuple>(kindSql('login')).raw(),
    rate: db.prepare<unknown[], KindTuple>(kindSql('rate')).raw(),
  };

  // Grouped in SQLite: however many events the client sent, one row comes back.
  const peakStatement = db.prepare<unknown[], PeakMinute>(
    perMinuteSql(
      'ip',
      'ip = ?',
      `ts / ${MINUTE_MS} * ${MINUTE_MS} AS minute, SUM(1.0 / sample_rate) AS requests`,
      'AND ts >= ? AND ts < ?',
      'GROUP BY ts / 60000 ORDER BY requests DESC, minute LIMIT 1',
    ),
  );

  // From the probes' partial index alone, latest first, at most PROBE_ROWS of them.
  const probedStatement = db
    .prepare<unknown[], string>(
      `SELECT path FROM events INDEXED BY events_site_ip_probe
      WHERE site_id = ? AND ip = ? AND ts >= ? AND ts < ? AND rule LIKE 'probe%' ORDER BY ts DESC LIMIT ${PROBE_ROWS}`,
    )
    .pluck();

  const rateSql = rateLimitedSql({
    from: 'events INDEXED BY events_site_ts_rate',
    json: 'json_group_array',
    collate: '',
    n: ['?', '?', '?', '?'],
  });
  const rateClients = db.prepare<unknown[], RateClientRow>(rateSql.clients);
  const rateTotals = db.prepare<unknown[], { clients: number; refused: number | null; counted: number | null }>(
    rateSql.totals,
  );

  return {
    async rateLimitedClients(siteId, { from, to, limit }) {
      const max = Math.max(0, Math.min(MAX_LIST, Math.floor(limit)));
      const totals = rateTotals.get(siteId, from, to);
      return {
        clients: rateClients.all(siteId, from, to, max).map(toRateLimitedClient),
        totals: { clients: totals?.clients ?? 0, refused: totals?.refused ?? 0, counted: totals?.counted ?? 0 },
      };
    },
    async peakMinute(siteId, { from, to, ip }) {
      const span = spanOf(siteId, from, to);
      return span === null ? null : (peakStatement.get(span[0], span[1], siteId, ip, from, to) ?? null);
    },
    async probedPaths(siteId, { from, to, ip, limit }) {
      const paths = probedStatement.all(siteId, ip, from, to);
      return [...new Set(paths)].slice(0, Math.max(0, Math.min(MAX_PROBED_PATHS, Math.floor(limit))));
    },
    async listKind(siteId, { from, to, kind, limit }) {
      const cap = Math.max(0, Math.min(MAX_KIND_LIST, Math.floor(limit)));
      return kindStatements[kind].all(siteId, from, to, cap).map(kindEvent);
    },
    async listEvents(siteId, query) {
      const clauses: string[] = [];
      const params: unknown[] = [];
      if (query.country !== undefined) {
        if (query.country === null) clauses.push(' AND country IS NULL');
        else {
          clauses.push(' AND country = ?');
          params.push(query.country);
        }
      }
      if (query.path !== undefined) {
        clauses.push(' AND path = ?');
        params.push(query.path);
      }
      const limit = Math.max(0, Math.min(MAX_LIST, Math.floor(query.limit)));
      const key = (query.ip !== undefined ? 'ip' : '') + clauses.join('');
      let statement = listStatements.get(key);
      if (!statement)
        listStatements.set(
          key,
          (statement = query.ip !== undefined ? listByIpQuery(clauses.join('')) : listQuery(clauses.join(''))),
        );
      if (query.ip === undefined) return statement.all(siteId, query.from, query.to, ...params, limit).map(toEvent);
      const span = spanOf(siteId, query.from, query.to);
      if (span === null) return [];
      return statement.all(span[0], span[1], siteId, query.ip, query.from, query.to, ...params, limit).map(toEvent);
    },
  };
}
