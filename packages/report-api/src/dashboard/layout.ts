import type { HtmlEscapedString } from 'hono/utils/html';
import { h, joinHtml } from './html.js';
import { addDays } from '../time/days.js';
import { formatChange, formatCount, relativeChange } from './format.js';
import { stylesheetPath } from './style.js';
import { BASE } from './urls.js';

/**
 * What the page shell needs to know about the signed-in user.
 *
 * @example
 * const viewer: Viewer = { csrfToken: await sessions.csrfToken(session) };
 */
export interface Viewer {
  /** Synchronizer token for the sign-out form (and any other form on the page). */
  csrfToken: string;
}

/**
 * A complete HTML document: skip link, top bar (sites, sign out), then `body` in `<main>`.
 *
 * @example
 * page({ title: 'Sign in', body: h`<p>…</p>`, viewer: null });
 */
export function page({
  title,
  body,
  viewer,
}: {
  title: string;
  body: HtmlEscapedString;
  viewer: Viewer | null;
}): HtmlEscapedString {
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${title} · Watchpost</title>
<link rel="stylesheet" href="${stylesheetPath()}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="${BASE}">Watchpost</a>
${
  viewer
    ? joinHtml(
        h`<nav aria-label="Dashboard"><a href="${BASE}">Sites</a><a href="${BASE}/sign-in">Add a site</a></nav>
<form method="post" action="${BASE}/sign-out"><input type="hidden" name="csrf" value="${viewer.csrfToken}">`,
        h`<button type="submit" class="secondary">Sign out</button></form>`,
      )
    : ''
}
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`;
}

/**
 * Previous/next day links and a date picker; `urlFor(date)` builds the same page for another day.
 *
 * @example
 * dateNav('2026-11-26', '2026-11-26', (d) => reportUrl('s_1', d), [['site', 's_1']]);
 */
export function dateNav(
  date: string,
  today: string,
  urlFor: (date: string) => string,
  keep: Array<[name: string, value: string]> = [],
): HtmlEscapedString {
  const prev = addDays(date, -1);
  const next = addDays(date, 1);
  const action = urlFor(date).split('?')[0] ?? '';
  return h`<nav class="datenav" aria-label="Date">
<a href="${urlFor(prev)}" rel="prev">← ${prev}</a>
<form method="get" action="${action}">
${keep.map(([name, value]) => h`<input type="hidden" name="${name}" value="${value}">`)}
<label for="date">Day</label>
<input type="date" id="date" name="date" value="${date}" max="${today}" required>
<button type="submit">Show</button>
</form>
${next <= today ? h`<a href="${urlFor(next)}" rel="next">${next} →</a>` : h`<span class="muted">${next} →</span>`}
${date !== today ? h`<a href="${urlFor(today)}">Today</a>` : ''}
</nav>`;
}

/**
 * "vs previous day" text for a count: the previous value and the relative change.
 *
 * @example
 * delta(120, 100); // 'prev. day 100 (+20.0%)'
 */
export function delta(current: number, previous: number | null | undefined): HtmlEscapedString {
  if (previous === null || previous === undefined) return h`<span class="delta">prev. day: no data</span>`;
  return joinHtml(
    h`<span class="delta">`,
    h`prev. day ${formatCount(previous)} (${formatChange(relativeChange(current, previous))})</span>`,
  );
}

/**
 * One summary card (inside a `<dl class="cards">`): a label, a big value, an optional comparison line.
 *
 * @example
 * card('Requests', '1,204', delta(1204, 1100));
 */
export function card(label: string, value: string, comparison: HtmlEscapedString | '' = ''): HtmlEscapedString {
  return h`<div class="card"><dt>${label}</dt><dd>${value}${comparison}</dd></div>`;
}

/**
 * A table with a caption and column headers; `rows` are already-rendered `<tr>` elements.
 * Columns named with a leading `#` are numeric (right-aligned).
 *
 * @example
 * table('Top paths', ['Path', '#Requests'], rows);
 */
export function table(
  caption: string,
  columns: string[],
  rows: HtmlEscapedString[],
  empty = 'No data for this day.',
): HtmlEscapedString {
  return h`<div class="table-wrap"><table>
<caption>${caption}</caption>
<thead><tr>${columns.map((c) =>
    c.startsWith('#') ? joinHtml(h`<th scope="col" class="num">`, h`${c.slice(1)}</th>`) : h`<th scope="col">${c}</th>`,
  )}</tr></thead>
<tbody>${rows.length ? rows : h`<tr><td colspan="${columns.length}" class="muted">${empty}</td></tr>`}</tbody>
</table></div>`;
}

/**
 * A right-aligned numeric cell, optionally a link.
 *
 * @example
 * num(135, ipUrl('s_1', '203.0.113.66', '2026-11-26'));
 */
export function num(value: number, href?: string): HtmlEscapedString {
  return href
    ? h`<td class="num"><a href="${href}">${formatCount(value)}</a></td>`
    : h`<td class="num">${formatCount(value)}</td>`;
}
