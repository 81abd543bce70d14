/**
 * CSV export of any table of a JSON answer: a client that sends `Accept: text/csv` (or `?format=csv`)
 * and names a table (`?table=paths`, `?table=logins.topClients`) gets that array of rows as CSV
 * instead of the JSON. Columns are the rows' fields in order; nested objects are flattened one level
 * (`denied.reason`), arrays inside a row are written as JSON text. Text cells are escaped by
 * `escape/csv.ts` (never a formula, never a control character).
 */
import type { Context } from 'hono';
import { toCsv, type CsvCell, type CsvColumn } from '../escape/csv.js';
import { apiError } from './errors.js';

/** How deep `?table=` may point into the answer (e.g. `report.logins.topClients`). */
const MAX_TABLE_DEPTH = 3;

type Row = Record<string, unknown>;

/** Whether the client asked for CSV. */
export function wantsCsv(c: Context): boolean {
  if (c.req.query('format') === 'csv') return true;
  const accept = c.req.header('accept') ?? '';
  return accept.split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === 'text/csv');
}

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The dotted paths of every array of objects (or empty array) inside `value`, up to `MAX_TABLE_DEPTH`. */
export function tablePaths(value: unknown, prefix = '', depth = 0): string[] {
  if (!isRow(value) || depth >= MAX_TABLE_DEPTH) return [];
  const paths: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(field) && field.every(isRow)) paths.push(path);
    else paths.push(...tablePaths(field, path, depth + 1));
  }
  return paths;
}

function cellOf(value: unknown): CsvCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Columns of the rows: every field in first-seen order, nested objects one level down. */
function columnsOf(rows: readonly Row[]): CsvColumn<Row>[] {
  const seen = new Map<string, CsvColumn<Row>>();
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (isRow(value)) {
        for (const sub of Object.keys(value)) {
          const header = `${key}.${sub}`;
          if (!seen.has(header)) seen.set(header, { header, value: (r) => cellOf((r[key] as Row | null)?.[sub]) });
        }
      } else if (!seen.has(key)) seen.set(key, { header: key, value: (r) => cellOf(r[key]) });
    }
  }
  return [...seen.values()];
}

/**
 * Answers `body` as JSON, or the table `?table=` names as CSV when the client asked for CSV
 * (400 listing the tables when the name is missing or unknown).
 *
 * @example
 * return answerJsonOrCsv(c, await drillDowns.ipDetail(site, ip, date), `ip-${date}`);
 */
export function answerJsonOrCsv(c: Context, body: object, name: string): Response {
  if (!wantsCsv(c)) return c.json(body);
  const tables = tablePaths(body);
  const table = c.req.query('table');
  if (table === undefined || !tables.includes(table))
    throw apiError(400, table === undefined ? 'missing query parameter table' : 'unknown table', [
      { path: 'table', message: `one of: ${tables.join(', ')}` },
    ]);
  let rows: unknown = body;
  for (const key of table.split('.')) rows = (rows as Row)[key];
  const csv = toCsv(rows as Row[], columnsOf(rows as Row[]));
  const filename = `${name}-${table}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
  return c.body(csv, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  });
}
