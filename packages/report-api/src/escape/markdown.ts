/**
 * Traffic text in Markdown (CommonMark and GFM, as GitHub, chat tools and wikis render it). Two
 * ways in, both built on `visibleText`:
 * - `markdownCode` puts the text in a code span: nothing inside one is a link, an autolink, HTML,
 *   emphasis or a bare URL a linkifier would pick up. Use it for every value from a request or a
 *   log line (paths, user agents, IPs, rules, reasons that quote them).
 * - `markdownText` backslash-escapes every ASCII punctuation character, for prose such as a site
 *   name: no construct can start, and a URL in it is split so linkifiers leave it alone.
 */
import { visibleText, type VisibleTextOptions } from './visible.js';

/** What an empty value shows as: a code span cannot be empty. */
export const EMPTY_MARKDOWN = '(empty)';

/**
 * A CommonMark code span showing `visibleText(text)` literally. The fence is one backtick longer
 * than the longest run inside; a space pads content that starts or ends with a backtick or a space
 * (CommonMark strips exactly one from each side).
 *
 * @example
 * markdownCode('/.env[Open](https://evil.example)'); // '`/.env[Open](https://evil.example)`'
 * markdownCode('a`b');                               // '``a`b``'
 * markdownCode('');                                  // '(empty)'
 */
export function markdownCode(text: string, options: VisibleTextOptions = {}): string {
  const shown = visibleText(text, options);
  if (shown === '') return EMPTY_MARKDOWN;
  const longestRun = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(shown) && !/^ +$/.test(shown) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * `visibleText(text)` as inline Markdown prose: every ASCII punctuation character is
 * backslash-escaped, so it renders as itself and nothing (link, emphasis, HTML, entity, heading
 * or list marker) can start inside it. Inline only: leading spaces are kept, as at a line start
 * four of them would open a code block.
 *
 * @example
 * markdownText('*shop* <prod>'); // '\\*shop\\* \\<prod\\>'
 */
export function markdownText(text: string, options: VisibleTextOptions = {}): string {
  return visibleText(text, options).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}
