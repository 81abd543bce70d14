import type { BotCategory } from '../../protocol/event.js';
import { requiredLiterals } from './literals.js';

/** One row of the classifier's table; `name` null means the bot is called what its pattern matched. */
export interface TableRow {
  readonly name: string | null;
  readonly category: BotCategory;
  /** A case-insensitive regular expression source without capture groups. */
  readonly pattern: string;
}

/**
 * The lines of a generated block: a line that starts with a space continues the one before (the
 * generator wraps long rows to keep source lines short).
 *
 * @example
 * readLines('\nab\n c\nd\n'); // ['abc', 'd']
 */
export function readLines(block: string): string[] {
  const lines: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(' ') && lines.length > 0) lines[lines.length - 1] += line.slice(1);
    else if (line !== '') lines.push(line);
  }
  return lines;
}

/** How specific a pattern is: the length of the shortest text it must contain (0 when unknown). */
function specificity(pattern: string): number {
  const literals = requiredLiterals(pattern);
  return literals === null ? 0 : Math.min(...literals.map((literal) => literal.length));
}

/** Escapes what a plain name needs to be found as written. */
function patternOfName(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Rows of the generated table: per category, lines of a name, a tab and a pattern; or a plain name,
 * found as written; or a name and a slash, found with the slash.
 *
 * @example
 * readTable([['feed', '\nFeedly\nInoreader/\nTiny\ttiny \\w+']]);
 * // [{ name: 'Feedly', category: 'feed', pattern: 'Feedly' },
 * //  { name: 'Inoreader', category: 'feed', pattern: 'Inoreader\\/' }, { name: 'Tiny', … }]
 */
export function readTable(blocks: ReadonlyArray<readonly [BotCategory, string]>): TableRow[] {
  const rows: TableRow[] = [];
  for (const [category, block] of blocks) {
    for (const line of readLines(block)) {
      const tab = line.indexOf('\t');
      if (tab !== -1) rows.push({ name: line.slice(0, tab), category, pattern: line.slice(tab + 1) });
      // `Name/` is found with its slash, and called without it.
      else rows.push({ name: line.endsWith('/') ? line.slice(0, -1) : line, category, pattern: patternOfName(line) });
    }
  }
  return rows;
}

/**
 * Rows sorted the most specific first: a longer text to find wins over a shorter one, so that
 * `node-fetch` is not read as `fetch/`. The sort is stable: equals keep their order.
 *
 * @example
 * bySpecificity([{ pattern: 'fetch\\/' }, { pattern: 'node-fetch' }]); // node-fetch first
 */
export function bySpecificity<Row extends { readonly pattern: string }>(rows: readonly Row[]): Row[] {
  return rows
    .map((row) => ({ row, order: specificity(row.pattern) }))
    .sort((a, b) => b.order - a.order)
    .map(({ row }) => row);
}
