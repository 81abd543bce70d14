import { requiredLiterals } from './literals.js';

/** A pattern to find: a case-insensitive regular expression source without capture groups. */
export interface IndexedPattern {
  readonly pattern: string;
}

/** The best (lowest-numbered) row found in a user agent, and the text its pattern matched there. */
export interface IndexHit {
  readonly row: number;
  readonly text: string;
}

/** Finds, in a lower-cased user agent, the lowest-numbered row whose pattern matches it. */
export type BotIndex = (lowerUa: string, ua: string) => IndexHit | null;

interface Literal {
  readonly text: string;
  /** Rows this text stands for, in ascending order. */
  readonly rows: number[];
}

const SLOTS = 1 << 16;
/** Characters that are not plain text in a regular expression source, unless escaped. */
const PLAIN_SOURCE = /^(?:[^\\.*+?^${}()|[\]]|\\[^A-Za-z0-9])+$/;

/** Where three characters go in the slot table; any spread will do, as each hit is checked. */
function slotOf(a: number, b: number, c: number): number {
  return (a * 1117 + b * 37 + c) & (SLOTS - 1);
}

/**
 * Indexes rows by a text every match of theirs must contain (see `requiredLiterals`), keyed by that
 * text's first three characters, so that a user agent is read once, three characters at a time, and
 * only the rows whose text occurs there are tried; rows without such a text are tried as one
 * alternation. Rows are numbered by their position, which is their priority: the lowest wins.
 *
 * @example
 * const find = createBotIndex([{ pattern: 'googlebot' }, { pattern: 'bot' }]);
 * find('mozilla/5.0 (compatible; googlebot/2.1)', 'Mozilla/5.0 (compatible; Googlebot/2.1)');
 * // { row: 0, text: 'Googlebot' }
 */
export function createBotIndex(rows: readonly IndexedPattern[]): BotIndex {
  const expressions = rows.map(({ pattern }) => new RegExp(pattern, 'i'));
  const plain = rows.map(({ pattern }) => PLAIN_SOURCE.test(pattern));
  const byText = new Map<string, Literal>();
  const unindexed: number[] = [];
  rows.forEach(({ pattern }, row) => {
    const literals = requiredLiterals(pattern);
    if (literals === null) return void unindexed.push(row);
    for (const text of literals) {
      const literal = byText.get(text) ?? { text, rows: [] };
      literal.rows.push(row);
      byText.set(text, literal);
    }
  });
  const slots = new Uint16Array(SLOTS);
  const buckets: Literal[][] = [[]];
  for (const literal of byText.values()) {
    const slot = slotOf(literal.text.charCodeAt(0), literal.text.charCodeAt(1), literal.text.charCodeAt(2));
    if (slots[slot] === 0) slots[slot] = buckets.push([]) - 1;
    (buckets[slots[slot] as number] as Literal[]).push(literal);
  }
  const anyUnindexed =
    unindexed.length === 0 ? null : new RegExp(unindexed.map((row) => `(?:${rows[row]?.pattern})`).join('|'), 'i');

  /** The row's match in the original user agent (case kept), or null when it does not match. */
  function matchOf(row: number, lowerUa: string, ua: string, at: number, length: number): string | null {
    // A plain text found at `at` is a match; lower-casing keeps positions in ASCII, so `ua` is cut there.
    if (plain[row] === true && lowerUa.length === ua.length) return ua.slice(at, at + length);
    const expression = expressions[row] as RegExp;
    return expression.exec(ua)?.[0] ?? null;
  }

  return function findBot(lowerUa: string, ua: string): IndexHit | null {
    let best = Infinity;
    let text = '';
    if (anyUnindexed !== null && anyUnindexed.test(ua)) {
      for (const row of unindexed) {
        const found = (expressions[row] as RegExp).exec(ua);
        if (found !== null) {
          best = row;
          text = found[0];
          break;
        }
      }
    }
    let a = lowerUa.charCodeAt(0);
    let b = lowerUa.charCodeAt(1);
    for (let at = 0; at + 2 < lowerUa.length; at++) {
      const c = lowerUa.charCodeAt(at + 2);
      const bucket = slots[slotOf(a, b, c)] as number;
      a = b;
      b = c;
      if (bucket === 0) continue;
      for (const literal of buckets[bucket] as Literal[]) {
        if ((literal.rows[0] as number) >= best || !lowerUa.startsWith(literal.text, at)) continue;
        for (const row of literal.rows) {
          if (row >= best) break;
          const match = matchOf(row, lowerUa, ua, at, literal.text.length);
          if (match === null) continue;
          best = row;
          text = match;
          break;
        }
      }
    }
    return best === Infinity ? null : { row: best, text };
  };
}
