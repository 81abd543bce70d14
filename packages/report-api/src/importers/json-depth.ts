/** Deepest nesting of objects and arrays a log record may have; an AWS WAF record nests 7 deep. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a JSON text nests objects and arrays deeper than `max`, found by one scan without
 * parsing. `JSON.parse` of 256 KiB of `[[[[…` blocks the thread for ~100 ms; this scan takes well
 * under a millisecond, so such a line is skipped before it is parsed.
 *
 * @example
 * jsonDepthExceeds('{"a":[[1]]}', 2); // true
 * jsonDepthExceeds('{"a":"[[[["}', 2); // false: brackets inside strings do not count
 */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) depth--;
  }
  return false;
}
