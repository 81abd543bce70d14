/**
 * The `reason` of a deny-list entry is shown in the dashboard, in alerts and in terminals, and
 * served to every middleware instance: one printable line, at most `MAX_REASON_LENGTH` characters.
 */
import { visibleText } from '../escape/visible.js';

/** Longest reason, in UTF-16 code units (what JSON Schema `maxLength` and zod count). */
export const MAX_REASON_LENGTH = 500;

// C0 (newline and tab included), DEL, C1, line/paragraph separators, bidi controls, lone surrogates.
// Zero-width joiners stay: emoji sequences use them.
const REFUSED = new RegExp(
  [
    String.raw`[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]`,
    String.raw`[\uD800-\uDBFF](?![\uDC00-\uDFFF])`,
    String.raw`(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]`,
  ].join('|'),
  'u',
);

/**
 * Why `reason` cannot be stored, or null when it can.
 *
 * @example
 * reasonProblem('scanner');        // null
 * reasonProblem('x\u001b[2J');     // 'reason holds a control character (U+001B) ...'
 */
export function reasonProblem(reason: string): string | null {
  if (reason.length > MAX_REASON_LENGTH) return `reason is longer than ${MAX_REASON_LENGTH} characters`;
  const found = REFUSED.exec(reason);
  if (!found) return null;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return (
    `reason holds a control character (U+${code} at ${found.index}): one printable line, no control, bidi ` +
    `or lone surrogate characters`
  );
}

/**
 * A reason built from traffic (a recommendation's evidence) made storable: invisible characters
 * shown as escapes (`visibleText`), cut on a code point to `MAX_REASON_LENGTH`.
 *
 * @example
 * storableReason('probed /.env\u001b[2J'); // 'probed /.env\\x1B[2J'
 */
export function storableReason(text: string): string {
  let shown = visibleText(text);
  if (shown.length <= MAX_REASON_LENGTH) return shown;
  shown = shown.slice(0, MAX_REASON_LENGTH - 1);
  // Do not end on half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(shown)) shown = shown.slice(0, -1);
  return `${shown}…`;
}
