import { branches, requiredLiterals } from './literals.js';
import { compileUnindexed } from './unindexed.js';

/** A pattern to find: a case-insensitive regular expression source without capture groups. */
export interface IndexedPattern {
  readonly pattern: string;
}

/**
 * The best (lowest-numbered) row found in a user agent, and the text its pattern matched there.
 * `second`: when that row is a fallback, the lowest row of the second track that matches too (see
 * `createBotIndex`), else null.
 */
export interface IndexHit {
  readonly row: number;
  readonly text: string;
  readonly second: number | null;
}

/** Finds, in a lower-cased user agent, the lowest-numbered row whose pattern matches it. */
export type BotIndex = (lowerUa: string, ua: string) => IndexHit | null;

interface Literal {
  readonly text: string;
  /**
   * The text's last character code, compared first: common words share their first four characters
   * with names (`mozilla/` and `mozilla-tabstack`), rarely their last.
   */
  readonly last: number;
  /** Rows this text stands for, in ascending order: those before the second track. */
  readonly rows: number[];
  /** Rows of the second track this text stands for, in ascending order. */
  readonly second: number[];
}

const SLOTS = 1 << 16;
/** A slot holds its bucket's number in the low bits (up to SLOTS, as slot 0 is no bucket) and marks above. */
const BUCKET_BITS = 17;
const BUCKET = (1 << BUCKET_BITS) - 1;
const MARKS = 32 - BUCKET_BITS;
/** Every mark: for texts that any four characters may stand for. */
const ALL_MARKS = ~BUCKET;
/** No row: above every row number, and a small integer (`Infinity` would make the arrays doubles). */
const NONE = 0x3fffffff;
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
 * One of MARKS bits for four characters, from a hash unrelated to `slotOf4`. A slot keeps the marks
 * of the texts filed there, so that most places whose four characters merely share a slot with a
 * text are passed by without trying its bucket: a browser's user agent tried 9.2 buckets on average,
 * about half of them for such chance meetings, and now tries 4.5.
 */
function markOf4(a: number, b: number, c: number, d: number): number {
  return 1 << (BUCKET_BITS + ((Math.imul(a ^ (b << 7) ^ (c << 14) ^ (d << 21), 0x9e3779b1) >>> 0) % MARKS));
}

/**
 * Indexes rows by a text every match of theirs must contain (see `requiredLiterals`), keyed by that
 * text's first characters, so that a user agent is read once and only the rows whose text occurs
 * there are tried; rows without such a text, and those anchored at the start, are tried apart (see
 * `compileUnindexed`). Rows are numbered by their position, which is their priority: the lowest wins.
 * Rows from `fallbackFrom` on are fallbacks (isbot's generic patterns): the costly ones without a
 * text are tried only when no row before them matched, which for a named bot is never.
 *
 * Rows from `secondFrom` on are a second track (the classifier's category hints), found in the same
 * reading of the user agent and matched against its lower-cased text: when the best row is a
 * fallback, `second` is the lowest second-track row that matches too. A second scan for them cost
 * unnamed bots ~0.4 µs. A text of theirs is noted only while no row before the fallbacks has been
 * found, and their rows are resolved only for a fallback's hit.
 *
 * @example
 * const find = createBotIndex([{ pattern: 'googlebot' }, { pattern: 'bot' }, { pattern: 'crawl' }], 1, 2);
 * find('mozilla/5.0 (compatible; googlebot/2.1)', 'Mozilla/5.0 (compatible; Googlebot/2.1)');
 * // { row: 0, text: 'Googlebot', second: null }
 * find('acme-crawler bot', 'Acme-Crawler bot'); // { row: 1, text: 'bot', second: 2 }
 */
export function createBotIndex(
  rows: readonly IndexedPattern[],
  fallbackFrom = rows.length,
  secondFrom = rows.length,
): BotIndex {
  if (!(fallbackFrom <= secondFrom && secondFrom <= rows.length))
    throw new RangeError(`createBotIndex: needs fallbackFrom <= secondFrom <= ${rows.length}`);
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
      const literal = byText.get(text) ?? { text, last: text.charCodeAt(text.length - 1), rows: [], second: [] };
      (row < secondFrom ? literal.rows : literal.second).push(row);
      byText.set(text, literal);
    }
  });
  // Texts of three characters are keyed by those; longer ones by their first four, so that common
  // beginnings (`web` of `webkit`) do not gather long lists to try.
  const short = new Table();
  const long = new Table();
  for (const literal of byText.values()) {
    const [a, b, c, d] = [0, 1, 2, 3].map((at) => literal.text.charCodeAt(at)) as [number, number, number, number];
    if (literal.text.length > 3) long.add(slotOf4(a, b, c, d), literal, markOf4(a, b, c, d));
    else {
      short.add(slotOf(a, b, c), literal);
      // Also under every ASCII character but a capital that can follow it, so that the scan finds it
      // in the long table: one lookup a place. Only a place followed by something else reads both.
      for (let next = 0; next < 128; next++) {
        if (next < 65 || next > 90) long.add(slotOf4(a, b, c, next), literal, markOf4(a, b, c, next));
      }
    }
  }
  const findUnindexed = compileUnindexed(
    rows,
    unindexed.filter((row) => row < fallbackFrom),
  );
  const unindexedFallbacks = unindexed.filter((row) => row >= fallbackFrom && row < secondFrom);
  const findSecondUnindexed = compileUnindexed(
    rows,
    unindexed.filter((row) => row >= secondFrom),
  );
  const findFallback = compileUnindexed(rows, unindexedFallbacks);
  // The fallbacks the scan put aside below this row are tried before those without a text.
  const firstUnindexedFallback = unindexedFallbacks[0] ?? NONE;
  // The tables' arrays as constants of the scan (no property loads in its loop).
  const longSlots = long.slots;
  const shortSlots = short.slots;
  const longPacked = long.pack();
  const shortPacked = short.pack();

  // The best row so far, and rows whose text was found but whose pattern is still to be tried, kept
  // outside the call so that a scan allocates nothing.
  let best = NONE;
  let text = '';
  const pendingRows: number[] = [];
  let pending = 0;
  // The second track: the texts of its rows found by the scan (only while the best is a fallback's
  // or none), their rows put aside once it is known to be needed, and its best row so far.
  const foundSecond: Literal[] = [];
  let foundSeconds = 0;
  const pendingSecond: number[] = [];
  let pendingSeconds = 0;
  let bestSecond = NONE;
  // Which call last put each row aside: a row is put aside once per call, however often its text
  // occurs (a user agent of `bot` repeated must not queue a row hundreds of times).
  const pendingIn = new Uint32Array(rows.length);
  let call = 0;

  /**
   * Looks for the texts of one bucket at `at`. A plain row found there is a match at once; a row
   * with a pattern is put aside, to be tried after the scan, lowest first, and only while it could
   * still win: most of those patterns then need never run. A text's length, last character and
   * lowest row are read from the packed entries, side by side in memory: most texts are passed by
   * on those, without touching their objects scattered over the heap.
   */
  function tryBucket(table: Packed, bucket: number, lowerUa: string, ua: string, at: number): void {
    const { entries, literals } = table;
    const end = table.starts[bucket + 1] as number;
    for (let entry = table.starts[bucket] as number; entry < end; entry++) {
      const e = entry * ENTRY;
      // Never read past the end: a read there gives NaN, and V8 then calls charCodeAt instead of inlining it.
      const lastAt = at + (entries[e] as number);
      if (lastAt >= lowerUa.length || lowerUa.charCodeAt(lastAt) !== entries[e + 1]) continue;
      const lowest = entries[e + 2] as number;
      // The second track counts only while no row before the fallbacks is found.
      const seconds = (entries[e + 3] as number) !== NONE && best >= fallbackFrom;
      if (lowest >= best && !seconds) continue;
      const literal = literals[entry] as Literal;
      if (!lowerUa.startsWith(literal.text, at)) continue;
      if (seconds) foundSecond[foundSeconds++] = literal;
      if (lowest >= best) continue;
      // An index loop: `for...of` takes more bytecode, and above 460 bytes V8 no longer inlines this function.
      const rowsOfText = literal.rows;
      for (let index = 0; index < rowsOfText.length; index++) {
        const row = rowsOfText[index] as number;
        if (row >= best) break;
        if (plain[row] !== true || lowerUa.length !== ua.length) {
          if (pendingIn[row] !== call) {
            pendingIn[row] = call;
            pendingRows[pending++] = row;
          }
          continue;
        }
        // A plain text found at `at` is a match; lower-casing kept positions, so `ua` is cut there.
        best = row;
        text = ua.slice(at, at + literal.text.length);
        break;
      }
    }
  }

  /**
   * Tries the rows put aside below `below`, lowest first, until one matches or none could beat `best`.
   */
  function tryPending(ua: string, below: number): void {
    for (;;) {
      let lowest = NONE;
      for (let index = 0; index < pending; index++) lowest = Math.min(lowest, pendingRows[index] as number);
      if (lowest >= best || lowest >= below) break;
      const found = (expressions[lowest] as RegExp).exec(ua);
      if (found !== null) {
        best = lowest;
        text = found[0];
        break;
      }
      // Its pattern was tried against the whole user agent: every entry of that row is done.
      for (let index = 0; index < pending; index++) if (pendingRows[index] === lowest) pendingRows[index] = NONE;
    }
  }

  /**
   * The second track's best row in `lowerUa`, once the scan has run: the plain texts it noted are
   * matches, then come the rows without a text, then the patterns put aside, lowest first (as `tryPending`).
   */
  function findSecond(lowerUa: string): number | null {
    bestSecond = NONE;
    pendingSeconds = 0;
    for (let index = 0; index < foundSeconds; index++) {
      for (const row of (foundSecond[index] as Literal).second) {
        if (row >= bestSecond) break;
        // Matched against the lower-cased user agent: a plain text found is a match.
        if (plain[row] === true) {
          bestSecond = row;
          break;
        }
        if (pendingIn[row] !== call) {
          pendingIn[row] = call;
          pendingSecond[pendingSeconds++] = row;
        }
      }
    }
    const hit = findSecondUnindexed(lowerUa, lowerUa, bestSecond);
    if (hit !== null) bestSecond = hit.row;
    for (;;) {
      let lowest = NONE;
      for (let index = 0; index < pendingSeconds; index++) lowest = Math.min(lowest, pendingSecond[index] as number);
      if (lowest >= bestSecond) break;
      if ((expressions[lowest] as RegExp).test(lowerUa)) {
        bestSecond = lowest;
        break;
      }
      for (let index = 0; index < pendingSeconds; index++)
        if (pendingSecond[index] === lowest) pendingSecond[index] = NONE;
    }
    return bestSecond === NONE ? null : bestSecond;
  }

  return function findBot(lowerUa: string, ua: string): IndexHit | null {
    best = NONE;
    text = '';
    pending = 0;
    foundSeconds = 0;
    // Wraps after 2^32 - 1 calls to 1, never to 0, the mark of a row never put aside.
    call = call === 0xffffffff ? 1 : call + 1;
    const length = lowerUa.length;
    if (length >= 3) {
      let a = lowerUa.charCodeAt(0);
      let b = lowerUa.charCodeAt(1);
      let c = lowerUa.charCodeAt(2);
      // Each place but the last starts four characters: the long table holds the short texts too.
      const last = length - 3;
      for (let at = 0; at < last; at++) {
        const d = lowerUa.charCodeAt(at + 3);
        const longSlot = longSlots[slotOf4(a, b, c, d)] as number;
        if (longSlot !== 0 && (longSlot & markOf4(a, b, c, d)) !== 0) {
          tryBucket(longPacked, longSlot & BUCKET, lowerUa, ua, at);
        }
        if (d > 127) {
          const shortSlot = shortSlots[slotOf(a, b, c)] as number;
          if (shortSlot !== 0) tryBucket(shortPacked, shortSlot & BUCKET, lowerUa, ua, at);
        }
        a = b;
        b = c;
        c = d;
      }
      const shortSlot = shortSlots[slotOf(a, b, c)] as number;
      if (shortSlot !== 0) tryBucket(shortPacked, shortSlot & BUCKET, lowerUa, ua, last);
    }
    // Then the rows without a text below the best found (a hit of theirs is below it), and the rows
    // put aside, lowest first, up to the first fallback without a text (most unnamed bots say `bot`
    // or `http`, which a fallback put aside finds); only if none matched, the fallbacks without a
    // text (costly expressions tried from the start), then the rest put aside. The lowest still wins.
    let hit = findUnindexed(ua, lowerUa, best);
    if (hit !== null) ({ row: best, text } = hit);
    tryPending(ua, firstUnindexedFallback);
    if (best >= firstUnindexedFallback && (hit = findFallback(ua, lowerUa, best)) !== null) ({ row: best, text } = hit);
    tryPending(ua, NONE);
    if (best === NONE) return null;
    return { row: best, text, second: best >= fallbackFrom && best < secondFrom ? findSecond(lowerUa) : null };
  };
}

/**
 * Texts by the slot of their first characters; slot 0 of `buckets` is the empty one. Bucket numbers
 * take BUCKET_BITS: with every slot in use (three-character texts take ~100 slots each) the last
 * would be 65,536.
 */
class Table {
  /** Per slot: its bucket's number (BUCKET bits) and the `markOf4` marks of the texts filed there. */
  readonly slots = new Int32Array(SLOTS);
  readonly buckets: Literal[][] = [[]];

  add(slot: number, literal: Literal, mark = ALL_MARKS): void {
    if (this.slots[slot] === 0) this.slots[slot] = this.buckets.push([]) - 1;
    this.slots[slot] = (this.slots[slot] as number) | mark;
    const bucket = this.buckets[(this.slots[slot] as number) & BUCKET] as Literal[];
    if (!bucket.includes(literal)) bucket.push(literal);
  }

  /** The buckets' texts as the scan reads them (see `Packed`). */
  pack(): Packed {
    const literals = this.buckets.flat();
    const starts = new Int32Array(this.buckets.length + 1);
    const entries = new Int32Array(literals.length * ENTRY);
    let entry = 0;
    this.buckets.forEach((bucket, number) => {
      starts[number] = entry;
      for (const literal of bucket) {
        const [lowest = NONE] = literal.rows;
        const [lowestSecond = NONE] = literal.second;
        entries.set([literal.text.length - 1, literal.last, lowest, lowestSecond], entry * ENTRY);
        entry++;
      }
    });
    starts[this.buckets.length] = entry;
    return { starts, entries, literals };
  }
}

/** Ints per text in `Packed.entries`. */
const ENTRY = 4;

/** A table's buckets, flattened for the scan: bucket `b` holds the texts `starts[b]` up to `starts[b + 1]`. */
interface Packed {
  readonly starts: Int32Array;
  /** ENTRY ints a text: its length - 1, its last character's code, its lowest row, its lowest second-track row. */
  readonly entries: Int32Array;
  /** The texts, in the order of `entries`. */
  readonly literals: readonly Literal[];
}
