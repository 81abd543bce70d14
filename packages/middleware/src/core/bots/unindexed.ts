import type { IndexedPattern, IndexHit } from './bot-index.js';
import { branches, requiredLiterals } from './literals.js';

/** An anchored row, and the group of the combined expression that holds its match. */
interface Anchored {
  readonly row: number;
  readonly group: number;
}

/** A row tried on its own, when the user agent has a text it needs and ends as it must. */
interface Guarded {
  readonly row: number;
  readonly needs: readonly string[] | null;
  /** The last character a match needs the user agent to end with, lower-cased, or -1. */
  readonly ending: number;
  readonly expression: RegExp;
}

/** A row found by its pattern, and the text that matched. */
type RowMatch = Pick<IndexHit, 'row' | 'text'>;

/** Finds the lowest matching row among some rows tried at the start of the user agent. */
type AtStart = (ua: string) => RowMatch | null;

const NO_ANCHORED: AtStart = () => null;

/** Whether `text` contains one of `parts` (a loop: no closure per call). */
function includesAny(text: string, parts: readonly string[]): boolean {
  for (const part of parts) if (text.includes(part)) return true;
  return false;
}

/** How many capture groups a pattern has. */
function groupsOf(pattern: string): number {
  return (new RegExp(`${pattern}|`).exec('') as RegExpExecArray).length - 1;
}

/** A code lower-cased if it is an ASCII capital. */
function lowerAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** Whether the character at `at` of a source is escaped (an odd run of backslashes before it). */
function escaped(source: string, at: number): boolean {
  let slashes = 0;
  for (let index = at - 1; index >= 0 && source[index] === '\\'; index--) slashes++;
  return slashes % 2 === 1;
}

/**
 * The ASCII character (lower-cased) every match of a source starting with `^` begins with, or -1 when
 * it cannot be read: a letter, a digit or a plain punctuation mark that no quantifier follows.
 */
export function requiredStart(source: string): number {
  let char = source[1] ?? '';
  let next = 2;
  if (char === '\\') {
    char = source[2] ?? '';
    next = 3;
    if (/[A-Za-z0-9]/.test(char)) return -1;
  } else if (!/[A-Za-z0-9 !"#%&',\-/:;<=>@_`~]/.test(char)) return -1;
  if (char === '' || char.charCodeAt(0) > 127 || '?*{'.includes(source[next] ?? '')) return -1;
  return lowerAscii(char.charCodeAt(0));
}

/**
 * The ASCII character (lower-cased) every match of a one-branch source ending in `$` ends with, or -1:
 * a letter, a digit or a plain punctuation mark just before the `$`, not escaped into a class.
 */
export function requiredEnding(source: string): number {
  const end = source.length - 1;
  if (source[end] !== '$' || escaped(source, end) || branches(source)?.length !== 1) return -1;
  const char = source[end - 1] ?? '';
  if (char === '' || char.charCodeAt(0) > 127) return -1;
  const isEscaped = escaped(source, end - 1);
  if (/[A-Za-z0-9]/.test(char) ? isEscaped : !isEscaped && '\\.*+?^${}()|[]'.includes(char)) return -1;
  return lowerAscii(char.charCodeAt(0));
}

/** One expression for rows anchored at the start, a group per row telling which of them matched. */
function compileAnchored(rows: readonly IndexedPattern[], numbers: readonly number[]): AtStart {
  if (numbers.length === 0) return NO_ANCHORED;
  const anchored: Anchored[] = [];
  const sources: string[] = [];
  let group = 1;
  for (const row of numbers) {
    const pattern = (rows[row] as IndexedPattern).pattern;
    anchored.push({ row, group });
    sources.push(`(${pattern.slice(1)})`);
    group += 1 + groupsOf(pattern);
  }
  // Alternatives are tried in order, so the first that matches is the lowest row among them.
  const atStart = new RegExp(`^(?:${sources.join('|')})`, 'i');
  // The same without groups, for the common answer (no match), which it gives faster.
  const anyAtStart = new RegExp(`^(?:${sources.map((source) => `(?:${source.slice(1, -1)})`).join('|')})`, 'i');
  return (ua) => {
    const found = anyAtStart.test(ua) ? atStart.exec(ua) : null;
    if (found === null) return null;
    for (const { row, group: index } of anchored) {
      const text = found[index];
      if (text !== undefined) return { row, text };
    }
    return null;
  };
}

/**
 * Finds the lowest of these rows (the ones without a text to index) below `limit` that matches. Those
 * anchored at the start are tried there only, and only those that can begin with the user agent's
 * first character; each other one (anchored ones that may begin with anything but need a text or an
 * ending too) only when the user agent has a text it needs (a character, at least) and, for a
 * pattern that ends with `$`, ends with the character it must.
 */
export function compileUnindexed(
  rows: readonly IndexedPattern[],
  numbers: readonly number[],
): (ua: string, lowerUa: string, limit: number) => RowMatch | null {
  const anchored: Array<{ row: number; start: number }> = [];
  const guarded: Guarded[] = [];
  for (const row of numbers) {
    const pattern = (rows[row] as IndexedPattern).pattern;
    const parts = branches(pattern);
    const start = parts !== null && parts.length === 1 && pattern.startsWith('^') ? requiredStart(pattern) : null;
    // An anchored row that may begin with anything but needs a text or an ending is cheaper tried
    // alone after those checks than in every first character's expression.
    if (start !== null && (start !== -1 || (requiredEnding(pattern) === -1 && requiredLiterals(pattern) === null))) {
      anchored.push({ row, start });
    } else {
      guarded.push({
        row,
        needs: requiredLiterals(pattern, 1),
        ending: requiredEnding(pattern),
        expression: new RegExp(pattern, 'i'),
      });
    }
  }
  // Per first character (ASCII, lower-cased), the anchored rows that can begin with it; rows that can
  // begin with anything are in every one, and alone for a first character beyond ASCII.
  const compiled = new Map<string, AtStart>();
  const forRows = (numbers: number[]): AtStart => {
    const key = numbers.join(',');
    let found = compiled.get(key);
    if (found === undefined) compiled.set(key, (found = compileAnchored(rows, numbers)));
    return found;
  };
  // Per first character (index 128: beyond ASCII), the expression and its lowest row (when that
  // cannot beat the best row found, the expression is not run).
  const byStart: AtStart[] = [];
  const lowestByStart: number[] = [];
  for (let code = 0; code <= 128; code++) {
    const lower = code === 128 ? -1 : lowerAscii(code);
    const startRows = anchored.filter(({ start }) => start === -1 || start === lower).map(({ row }) => row);
    byStart.push(forRows(startRows));
    lowestByStart.push(startRows[0] ?? Infinity);
  }
  return function findUnindexed(ua, lowerUa, limit) {
    const first = Math.min(ua.charCodeAt(0), 128);
    let hit = (lowestByStart[first] as number) < limit ? (byStart[first] as AtStart)(ua) : null;
    if (hit !== null && hit.row >= limit) hit = null;
    const last = lowerAscii(ua.charCodeAt(ua.length - 1));
    for (const { row, needs, ending, expression } of guarded) {
      if (row >= (hit === null ? limit : hit.row)) break;
      if (ending !== -1 && last !== ending) continue;
      if (needs !== null && !includesAny(lowerUa, needs)) continue;
      const match = expression.exec(ua);
      if (match !== null) return { row, text: match[0] };
    }
    return hit;
  };
}
