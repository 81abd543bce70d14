import { branches, requiredLiterals } from './literals.js';

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

/** Where four characters go. */
function slotOf4(a: number, b: number, c: number, d: number): number {
  return (a * 29791 + b * 961 + c * 31 + d) & (SLOTS - 1);
}

/**
 * A quick test that passes whenever one of these patterns (rows without a text to index) may match:
 * those anchored at the start are tried there only, as one expression; each other one only when a
 * character it needs is in the user agent.
 */
function compileUnindexed(patterns: readonly string[]): (ua: string, lowerUa: string) => boolean {
  const anchored: string[] = [];
  const guarded: Array<{ needs: readonly string[] | null; expression: RegExp }> = [];
  for (const pattern of patterns) {
    const parts = branches(pattern);
    if (parts !== null && parts.length === 1 && pattern.startsWith('^')) anchored.push(pattern.slice(1));
    else guarded.push({ needs: requiredLiterals(pattern, 1), expression: new RegExp(pattern, 'i') });
  }
  const atStart = anchored.length === 0 ? null : new RegExp(`^(?:${anchored.join('|')})`, 'i');
  return function mayMatch(ua, lowerUa) {
    if (atStart !== null && atStart.test(ua)) return true;
    for (const { needs, expression } of guarded) {
      if (needs !== null && !needs.some((text) => lowerUa.includes(text))) continue;
      if (expression.test(ua)) return true;
    }
    return false;
  };
}

/**
 * Indexes rows by a text every match of theirs must contain (see `requiredLiterals`), keyed by that
 * text's first characters, so that a user agent is read once and only the rows whose text occurs
 * there are tried; rows without such a text, and those anchored at the start, are tried apart (see
 * `compileUnindexed`). Rows are numbered by their position, which is their priority: the lowest wins.
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
    // Anchored patterns are tried at the start only, which is cheaper than finding their text.
    if (literals === null || (pattern.startsWith('^') && branches(pattern)?.length === 1)) {
      return void unindexed.push(row);
    }
    for (const text of literals) {
      const literal = byText.get(text) ?? { text, rows: [] };
      literal.rows.push(row);
      byText.set(text, literal);
    }
  });
  // Texts of three characters are keyed by those; longer ones by their first four, so that common
  // beginnings (`web` of `webkit`) do not gather long lists to try.
  const short = new Table();
  const long = new Table();
  for (const literal of byText.values()) {
    const [a, b, c, d] = [0, 1, 2, 3].map((at) => literal.text.charCodeAt(at)) as [number, number, number, number];
    if (literal.text.length === 3) short.add(slotOf(a, b, c), literal);
    else long.add(slotOf4(a, b, c, d), literal);
  }
  const tryUnindexed = compileUnindexed(unindexed.map((row) => rows[row]?.pattern as string));
  const anyShort = short.buckets.length > 1;

  /** The row's match in the original user agent (case kept), or null when it does not match. */
  function matchOf(row: number, lowerUa: string, ua: string, at: number, length: number): string | null {
    // A plain text found at `at` is a match; lower-casing keeps positions in ASCII, so `ua` is cut there.
    if (plain[row] === true && lowerUa.length === ua.length) return ua.slice(at, at + length);
    const expression = expressions[row] as RegExp;
    return expression.exec(ua)?.[0] ?? null;
  }

  // The best row so far, kept outside the call so that trying a bucket allocates nothing.
  let best = Infinity;
  let text = '';

  /** Tries the texts of one bucket at `at`; lowers `best` when a row matches there. */
  function tryBucket(bucket: readonly Literal[], lowerUa: string, ua: string, at: number): void {
    for (const literal of bucket) {
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

  return function findBot(lowerUa: string, ua: string): IndexHit | null {
    best = Infinity;
    text = '';
    if (tryUnindexed(ua, lowerUa)) {
      for (const row of unindexed) {
        const found = (expressions[row] as RegExp).exec(ua);
        if (found !== null) {
          best = row;
          text = found[0];
          break;
        }
      }
    }
    const length = lowerUa.length;
    let a = lowerUa.charCodeAt(0);
    let b = lowerUa.charCodeAt(1);
    let c = lowerUa.charCodeAt(2);
    for (let at = 0; at + 2 < length; at++) {
      const d = at + 3 < length ? lowerUa.charCodeAt(at + 3) : -1;
      if (d !== -1) {
        const bucket = long.slots[slotOf4(a, b, c, d)] as number;
        if (bucket !== 0) tryBucket(long.buckets[bucket] as Literal[], lowerUa, ua, at);
      }
      if (anyShort) {
        const bucket = short.slots[slotOf(a, b, c)] as number;
        if (bucket !== 0) tryBucket(short.buckets[bucket] as Literal[], lowerUa, ua, at);
      }
      a = b;
      b = c;
      c = d;
    }
    return best === Infinity ? null : { row: best, text };
  };
}

/** Texts by the slot of their first characters; slot 0 of `buckets` is the empty one. */
class Table {
  readonly slots = new Uint16Array(SLOTS);
  readonly buckets: Literal[][] = [[]];

  add(slot: number, literal: Literal): void {
    if (this.slots[slot] === 0) this.slots[slot] = this.buckets.push([]) - 1;
    (this.buckets[this.slots[slot] as number] as Literal[]).push(literal);
  }
}
