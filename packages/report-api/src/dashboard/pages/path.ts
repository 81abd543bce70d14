import type { HtmlEscapedString } from 'hono/utils/html';
import { h, joinHtml } from '../html.js';
import { dateNav, num, page, table, type Viewer } from '../layout.js';
import type { PathDetail } from '../types.js';
import { countryUrl, pathUrl, reportUrl } from '../urls.js';
import { ipTable, sliceSummary, statusTable } from './slice.js';

/**
 * The drill-down page of one request path: timeline, the IPs and countries behind it,
 * statuses and user agents.
 *
 * @example
 * renderPathPage({ detail, today: '2026-11-26', viewer: { csrfToken } });
 */
export function renderPathPage({
  detail,
  today,
  viewer,
}: {
  detail: PathDetail;
  today: string;
  viewer: Viewer;
}): HtmlEscapedString {
  const { site, date, path } = detail;
  const siteId = site.id;
  const body = h`
<p><a href="${reportUrl(siteId, date)}">← ${site.name}: report for ${date}</a></p>
<h1>Path <code>${path}</code></h1>
${dateNav(date, today, (d) => pathUrl(siteId, path, d), [['path', path]])}
${sliceSummary(detail, 'path-timeline')}
<section aria-labelledby="ips-h"><h2 id="ips-h">IPs</h2>
${ipTable('Top IPs requesting this path', siteId, date, detail.ips)}
</section>
<div class="grid2">
<section aria-labelledby="status-h"><h2 id="status-h">Statuses</h2>${statusTable(detail.statuses)}</section>
<section aria-labelledby="countries-h"><h2 id="countries-h">Countries</h2>
${table(
  'Countries requesting this path',
  ['Country', '#Requests', '#Blocked'],
  detail.countries.map((c) =>
    joinHtml(
      h`<tr><th scope="row"><a href="${countryUrl(siteId, c.country, date)}">${c.country ?? 'unknown'}</a>`,
      h`</th>${num(c.requests)}${num(c.blocked)}</tr>`,
    ),
  ),
)}
</section>
</div>
<section aria-labelledby="uas-h"><h2 id="uas-h">User agents</h2>
${table(
  'User agents requesting this path',
  ['User agent', 'Bot category', '#Requests', '#Blocked'],
  detail.userAgents.map((u) =>
    joinHtml(
      h`<tr><th scope="row" class="text"><code>${u.ua === '' ? '(none)' : u.ua}</code></th>`,
      h`<td>${u.botCategory ?? 'browser'}</td>${num(u.requests)}${num(u.blocked)}</tr>`,
    ),
  ),
)}
</section>`;
  return page({ title: `${path} · ${date}`, body, viewer });
}
