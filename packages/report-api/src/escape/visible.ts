/**
 * Text taken from traffic (paths, user agents, reasons) may hold characters that act instead of
 * showing: C0/C1 controls (ESC starts terminal sequences, U+009B is CSI), line and paragraph
 * separators, bidi overrides and zero-width marks (Trojan-Source reordering), lone surrogates.
 * `visibleText` replaces each with a visible escape so every sink starts from printable text.
 */

// Cc: C0, DEL, C1 · Cf: bidi controls, zero-width marks, BOM · Zl/Zp: U+2028/U+2029 · lone surrogates.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** `\x1B`, `\u202E`, `\u{E0041}`: how an invisible character is shown. */
function escapeOf(char: string): string {
  const code = char.codePointAt(0)!;
  if (code >= 0xd800 && code <= 0xdfff) return '\uFFFD';
  const hex = code.toString(16).toUpperCase();
  if (code < 0x100) return `\\x${hex.padStart(2, '0')}`;
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * Options of `visibleText`.
 *
 * @example
 * visibleText(userAgent, { maxLength: 80 });
 */
export interface VisibleTextOptions {
  /** Most code points kept; longer text is cut on a code-point boundary and ends with `…`. Default: no limit. */
  maxLength?: number;
}

/**
 * The text with every control, format and separator character shown as `\xNN` / `\uNNNN` and lone
 * surrogates as U+FFFD, optionally cut to `maxLength` code points. Printable text is unchanged.
 *
 * @example
 * visibleText('x\u001b[31mred');            // 'x\\x1B[31mred'
 * visibleText('a\u202Eb');                  // 'a\\u202Eb'
 * visibleText('😀'.repeat(3), { maxLength: 2 }); // '😀😀…'
 */
export function visibleText(text: string, { maxLength }: VisibleTextOptions = {}): string {
  if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength >= 1)) {
    throw new TypeError(`visibleText: maxLength must be a positive integer, got ${maxLength}`);
  }
  let kept = text;
  if (maxLength !== undefined && text.length > maxLength) {
    const points = Array.from(text);
    if (points.length > maxLength) kept = `${points.slice(0, maxLength).join('')}…`;
  }
  return kept.replace(INVISIBLE, escapeOf);
}
