/**
 * CSV exports of tables that quote traffic (paths, user agents, reasons). A spreadsheet runs a cell
 * that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (CSV injection), and
 * control or bidi characters hide or reorder what the reader sees. Every text cell goes through
 * `visibleText` first, then csv-stringify quotes it (RFC 4180) and prefixes formula starts with `'`.
 */
import { stringify } from 'csv-stringify/sync';
import { visibleText } from './visible.js';

/** A cell of an exported table: numbers and booleans as they are, null as an empty cell. */
export type CsvCell = string | number | boolean | null;

/**
 * One column: its header and how to read it from a row.
 *
 * @example
 * const ipColumn: CsvColumn<{ ip: string }> = { header: 'ip', value: (row) => row.ip };
 */
export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => CsvCell;
}

function cell(value: CsvCell): string | number | boolean {
  if (value === null) return '';
  return typeof value === 'string' ? visibleText(value) : value;
}

/**
 * The rows as CSV text with a header line; text cells shown visibly and never run as formulas.
 *
 * @example
 * toCsv([{ path: '=HYPERLINK("http://x")', requests: 3 }], [
 *   { header: 'path', value: (r) => r.path },
 *   { header: 'requests', value: (r) => r.requests },
 * ]); // 'path,requests\n"\'=HYPERLINK(""http://x"")",3\n'
 */
export function toCsv<Row>(rows: readonly Row[], columns: readonly CsvColumn<Row>[]): string {
  const records = rows.map((row) => columns.map((column) => cell(column.value(row))));
  return stringify(records, {
    header: true,
    columns: columns.map((column) => visibleText(column.header)),
    escape_formulas: true,
    quoted_match: /[,"\n\r]/,
  });
}
