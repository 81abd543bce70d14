import type { HtmlEscapedString } from 'hono/utils/html';
import { h, joinHtml } from '../html.js';
import { dateNav, num, page, table, type Viewer } from '../layout.js';
import type { CountryDetail } from '../types.js';
import { countryUrl, ipUrl, pathUrl, reportUrl, UNKNOWN_COUNTRY } from '../urls.js';
import { sliceSummary } from './slice.js';

/**
 * The drill-down page of one country: timeline, its IPs, paths and bots.
 *
 * @example
 * renderCountryPage({ detail, today: '2026-11-26', viewer: { csrfToken } });
 */
export function renderCountryPage({
  detail,
  today,
  viewer,
}: {
  detail: CountryDetail;
  today: string;
  viewer: Viewer;
}): HtmlEscapedString {
  const { site, date, country } = detail;
  const siteId = site.id;
  const name = country ?? 'unknown country';
  const body = h`
<p><a href="${reportUrl(siteId, date)}">← ${site.name}: report for ${date}</a></p>
<h1>Country: ${name}${detail.domestic ? ' (domestic)' : ''}</h1>
${dateNav(date, today, (d) => countryUrl(siteId, country, d), [['code', country ?? UNKNOWN_COUNTRY]])}
${sliceSummary(detail, 'country-timeline')}
<section aria-labelledby="ips-h"><h2 id="ips-h">IPs</h2>
${table(
  `Top IPs from ${name}`,
  ['IP', '#Requests', '#Blocked', '#4xx', '#5xx'],
  detail.ips.map((r) =>
    joinHtml(
      h`<tr><th scope="row"><a href="${ipUrl(siteId, r.ip, date)}"><code>${r.ip}</code></a>`,
      h`</th>${num(r.requests, ipUrl(siteId, r.ip, date))}${num(r.blocked)}${num(r.errors4xx)}${num(r.errors5xx)}</tr>`,
    ),
  ),
)}
</section>
<section aria-labelledby="paths-h"><h2 id="paths-h">Paths</h2>
${table(
  `Top paths requested from ${name}`,
  ['Path', '#Requests', '#Blocked'],
  detail.paths.map((p) =>
    joinHtml(
      h`<tr><th scope="row" class="text"><a href="${pathUrl(siteId, p.path, date)}">`,
      h`<code>${p.path}</code></a>`,
      h`</th>${num(p.requests)}${num(p.blocked)}</tr>`,
    ),
  ),
)}
</section>
<section aria-labelledby="bots-h"><h2 id="bots-h">Bots</h2>
${table(
  `Bot traffic from ${name}`,
  ['Category', '#Requests', '#Blocked'],
  detail.bots.map((b) => h`<tr><th scope="row">${b.category}</th>${num(b.requests)}${num(b.blocked)}</tr>`),
)}
</section>`;
  return page({ title: `${name} · ${date}`, body, viewer });
}
