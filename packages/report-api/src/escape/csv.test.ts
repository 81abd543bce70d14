import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsv, type CsvColumn } from './csv.js';
import { hostileText } from './hostile-text.js';

interface Row {
  text: string;
  n: number;
}
const columns: CsvColumn<Row>[] = [
  { header: 'text', value: (row) => row.text },
  { header: 'n', value: (row) => row.n },
];

/** RFC 4180 parsing, the way a spreadsheet reads the file. */
function parse(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const char = csv[i]!;
    if (quoted) {
      if (char === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  return rows;
}

describe('toCsv', () => {
  it('never lets a spreadsheet run a cell as a formula', () => {
    const csv = toCsv(
      [
        { text: '=HYPERLINK("http://evil.example","click")', n: 1 },
        { text: '+1+1', n: -2 },
        { text: '-2+3', n: 0 },
        { text: '@SUM(A1)', n: 3 },
        { text: '\t=1', n: 4 },
        { text: '\r=1', n: 5 },
      ],
      columns,
    );
    const cells = parse(csv).slice(1);
    expect(cells.map((row) => row[0])).toEqual([
      '\'=HYPERLINK("http://evil.example","click")',
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      // A leading tab or CR is shown as its escape, which no spreadsheet runs.
      '\\x09=1',
      '\\x0D=1',
    ]);
    // Numbers stay numbers (a negative count is not a formula).
    expect(cells.map((row) => row[1])).toEqual(['1', '-2', '0', '3', '4', '5']);
  });

  it('keeps one record per row and one field per column for any hostile text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: hostileText({ maxLength: 80 }), n: fc.integer() }), { maxLength: 20 }),
        (rows) => {
          const parsed = parse(toCsv(rows, columns));
          expect(parsed).toHaveLength(rows.length + 1);
          for (const [i, record] of parsed.slice(1).entries()) {
            expect(record).toHaveLength(2);
            expect(/^[=+\-@\t\r]/.test(record[0]!)).toBe(false);
            // No control, bidi or separator character survives, so nothing hides or reorders text.
            expect(record[0]).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
            expect(record[1]).toBe(String(rows[i]!.n));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes null as an empty cell and the header first', () => {
    expect(toCsv([{ a: null }], [{ header: 'a', value: (row: { a: null }) => row.a }])).toBe('a\n\n');
  });
});
