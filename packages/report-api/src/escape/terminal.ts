/**
 * CLI output that may quote traffic (reports as JSON or Markdown, error messages). A terminal acts
 * on ESC (CSI, OSC 8 hyperlinks, OSC 52 clipboard writes, title changes), on C1 controls such as
 * U+009B (CSI on its own) and reorders text on bidi controls; JSON.stringify escapes C0 only.
 */

// Every Cc except \n and \t, Cf (bidi, zero-width), U+2028/U+2029, lone surrogates.
const UNSAFE =
  /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/**
 * The text with every character a terminal would act on written as a `\uNNNN` escape; newlines and
 * tabs are kept. Inside a JSON string the escape is the JSON escape of the same character, so JSON
 * output stays valid and means the same.
 *
 * @example
 * forTerminal('{"ua":"x\u001b]8;;https://evil.example\u0007"}'); // '{"ua":"x\\u001b]8;;https://evil.example\\u0007"}'
 */
export function forTerminal(text: string): string {
  // An astral format character (U+E0001 tags) is written as its two JSON surrogate escapes.
  return text.replace(UNSAFE, (char) =>
    Array.from({ length: char.length }, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}
