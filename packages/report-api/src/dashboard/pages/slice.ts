import type { HtmlEscapedString } from 'hono/utils/html';
import { timelineChart } from '../charts.js';
import { h, joinHtml } from '../html.js';
import { formatCount, formatTime } from '../format.js';
import { card, delta, num, table } from '../layout.js';
import type { SliceDetail } from '../types.js';
import { countryUrl, ipUrl, pathUrl } from '../urls.js';

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

/** The counts of an IP or path row. */
type IpCounts = 'requests' | 'blocked' | 'errors4xx' | 'errors5xx';

/**
 * The top IPs of a slice, each linked to its page, with its country, requests, blocks and errors.
 *
 * @example
 * ipTable('Top IPs requesting this path', siteId, date, detail.ips);
 */
export function ipTable(
  caption: string,
  siteId: string,
  date: string,
  ips: ReadonlyArray<{ ip: string; country: string | null } & Record<IpCounts, number>>,
): HtmlEscapedString {
  return table(
    caption,
    ['IP', 'Country', '#Requests', '#Blocked', '#4xx', '#5xx'],
    ips.map((r) =>
      joinHtml(
        h`<tr><th scope="row"><a href="${ipUrl(siteId, r.ip, date)}"><code>${r.ip}</code></a></th><td>`,
        h`<a href="${countryUrl(siteId, r.country, date)}">${r.country ?? 'unknown'}</a>`,
        h`</td>${num(r.requests, ipUrl(siteId, r.ip, date))}${num(r.blocked)}`,
        h`${num(r.errors4xx)}${num(r.errors5xx)}</tr>`,
      ),
    ),
  );
}

/**
 * What the engine decided for a slice: action and rule, with counts.
 *
 * @example
 * decisionTable([{ action: 'block', rule: 'probe-env', requests: 3 }]);
 */
export function decisionTable(
  decisions: ReadonlyArray<{ action: string; rule: string | null; requests: number }>,
): HtmlEscapedString {
  return table(
    'What the engine decided',
    ['Action', 'Rule', '#Requests'],
    decisions.map(
      (d) => h`<tr><th scope="row">${d.action}</th><td><code>${d.rule ?? '—'}</code></td>${num(d.requests)}</tr>`,
    ),
  );
}

/**
 * The paths of a slice, each linked to its page, with requests, blocks and errors.
 *
 * @example
 * pathTable('Paths requested by this IP', siteId, date, detail.paths);
 */
export function pathTable(
  caption: string,
  siteId: string,
  date: string,
  paths: ReadonlyArray<{ path: string } & Record<IpCounts, number>>,
): HtmlEscapedString {
  return table(
    caption,
    ['Path', '#Requests', '#Blocked', '#4xx', '#5xx'],
    paths.map((p) =>
      joinHtml(
        h`<tr><th scope="row" class="text"><a href="${pathUrl(siteId, p.path, date)}">`,
        h`<code>${p.path}</code></a>`,
        h`</th>${num(p.requests)}${num(p.blocked)}${num(p.errors4xx)}${num(p.errors5xx)}</tr>`,
      ),
    ),
  );
}
