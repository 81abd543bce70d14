import type { HtmlEscapedString } from 'hono/utils/html';
import { timelineChart } from '../charts.js';
import { h, joinHtml } from '../html.js';
import { formatCount, formatTime } from '../format.js';
import { card, delta, num, table } from '../layout.js';
import type { SliceDetail } from '../types.js';

/**
 * The part every drill-down page shares: totals with the previous day, and the hourly timeline.
 *
 * @example
 * sliceSummary(detail, 'ip-timeline');
 */
export function sliceSummary(detail: SliceDetail, chartId: string): HtmlEscapedString {
  const { totals, previousDay: prev } = detail;
  const tz = detail.site.timeZone;
  return h`<section aria-labelledby="totals-h"><h2 id="totals-h">Totals</h2>
<dl class="cards">
${card('Requests', formatCount(totals.requests), delta(totals.requests, prev?.requests ?? null))}
${card('Blocked', formatCount(totals.blocked), delta(totals.blocked, prev?.blocked ?? null))}
${card('Would block (count mode)', formatCount(totals.counted), delta(totals.counted, prev?.counted ?? null))}
${card('4xx', formatCount(totals.errors4xx), delta(totals.errors4xx, prev?.errors4xx ?? null))}
${card('5xx', formatCount(totals.errors5xx), delta(totals.errors5xx, prev?.errors5xx ?? null))}
</dl></section>
<section aria-labelledby="timeline-h"><h2 id="timeline-h">Requests per hour</h2>
${timelineChart(chartId, detail.timeline, tz)}
<details><summary>Timeline as a table</summary>
${table(
  'Requests per hour',
  ['Hour', '#Requests', '#Blocked', '#4xx', '#5xx'],
  detail.timeline.map((p) =>
    joinHtml(
      h`<tr><th scope="row">${formatTime(p.start, tz)}</th>`,
      h`${num(p.requests)}${num(p.blocked)}${num(p.errors4xx)}${num(p.errors5xx)}</tr>`,
    ),
  ),
)}
</details></section>`;
}

/**
 * Status codes as a table (0 is shown as "client went away").
 *
 * @example
 * statusTable([{ status: 404, requests: 120 }]);
 */
export function statusTable(statuses: Array<{ status: number; requests: number }>): HtmlEscapedString {
  return table(
    'Responses by status code',
    ['Status', '#Requests'],
    statuses.map(
      (s) => h`<tr><th scope="row">${s.status === 0 ? '0 (client went away)' : s.status}</th>${num(s.requests)}</tr>`,
    ),
  );
}
