import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { visibleText } from '../escape/visible.js';

// The dashboard's one way to write markup. Every page, chart and layout part is built with `h`, so
// every interpolated string is escaped and shown as visible text; nothing builds HTML by concatenation.

/**
 * `hono/html` typed as synchronous: our templates never interpolate promises. Interpolated
 * strings are shown as `visibleText` (control, bidi and zero-width characters as `\xNN`/`\uNNNN`,
 * so a path cannot reorder or hide text on screen) and HTML-escaped; arrays are joined; nested
 * `h` results are kept as markup.
 *
 * @example
 * h`<td>${userAgent}</td>`.toString(); // '<td>&lt;script&gt;…</td>'
 */
export const h = function visibleHtml(strings: TemplateStringsArray, ...values: unknown[]): HtmlEscapedString {
  return (html as (strings: TemplateStringsArray, ...values: unknown[]) => HtmlEscapedString)(
    strings,
    ...values.map((value) => (typeof value === 'string' ? visibleText(value) : value)),
  );
};

/**
 * Markup parts joined as they are, so a long row can be written as several `h` templates over several
 * lines: `joinHtml(h`<th>${a}</th>`, h`<td>${b}</td>`)` is the same markup as h`<th>${a}</th><td>${b}</td>`.
 *
 * @example
 * joinHtml(h`<th>${label}</th>`, h`<td>${count}</td>`).toString(); // '<th>…</th><td>…</td>'
 */
export function joinHtml(...parts: HtmlEscapedString[]): HtmlEscapedString {
  return h`${parts}`;
}
