import type { HtmlEscapedString } from 'hono/utils/html';
import type { DailyReport, PeriodTotals } from '../../reports/types.js';
import { barChart, timelineChart } from '../charts.js';
import { h, joinHtml } from '../html.js';
import { formatChange, formatCount, formatRate, formatTime } from '../format.js';
import { card, dateNav, delta, num, page, table, type Viewer } from '../layout.js';
import {
  auditUrl,
  countryUrl,
  denyUrl,
  ipUrl,
  loginsUrl,
  pathUrl,
  rateLimitsUrl,
  reportUrl,
  triageUrl,
} from '../urls.js';
import { storableReason } from '../../denylist/reason.js';
import { alertsUrl } from './alerts.js';
import { renderTriageSection } from './triage-section.js';
import { renderBotActivitySection } from './bot-activity-section.js';

/**
 * Everything the report page renders.
 *
 * @example
 * const input: ReportPageInput = { report, today: '2026-11-26', viewer, justDenied: '203.0.113.66' };
 */
export interface ReportPageInput {
  report: DailyReport;
  today: string;
  /**
   * The signed-in user; null renders a read-only page (no deny buttons, no sign-out), as `watchpost report --format
   * html` does.
   */
  viewer: Viewer | null;
  /** IP just added to the deny list, shown as a confirmation. */
  justDenied?: string | null;
}

function countryName(country: string | null): string {
  return country ?? 'unknown';
}

function comparisonRow(label: string, totals: PeriodTotals | null): HtmlEscapedString {
  if (!totals) return h`<tr><th scope="row">${label}</th><td colspan="5" class="muted">no data</td></tr>`;
  return joinHtml(
    h`<tr>`,
    h`<th scope="row">${label}</th>`,
    h`${num(totals.requests)}${num(totals.blocked)}${num(totals.errors4xx)}`,
    h`${num(totals.errors5xx)}<td class="num">${formatRate(totals.successRate, 4)}</td></tr>`,
  );
}

/**
 * The daily report of one site as a complete HTML page: every section of `DailyReport`,
 * every IP, country and path linked to its drill-down page.
 *
 * @example
 * const body = renderReportPage({ report, today: '2026-11-26', viewer: { csrfToken } }).toString();
 */
export function renderReportPage({ report, today, viewer, justDenied = null }: ReportPageInput): HtmlEscapedString {
  const { site, date, totals } = report;
  const siteId = site.id;
  const tz = site.timeZone;
  const prev = report.comparison.previousDay;
  const ipLink = (ip: string) => h`<a href="${ipUrl(siteId, ip, date)}"><code>${ip}</code></a>`;
  const countryLink = (c: string | null) => h`<a href="${countryUrl(siteId, c, date)}">${countryName(c)}</a>`;
  const home = site.homeCountry;

  const body = joinHtml(
    h`
<h1>${site.name}: daily report for ${date}</h1>
<p class="muted">`,
    h`Time zone ${tz}${home ? h`, home country ${countryLink(home)}` : ''}. Counts are sample-weighted. `,
    h`<a href="${alertsUrl(siteId)}">Alerts, webhooks and deliveries</a> · `,
    h`<a href="${loginsUrl(siteId, date)}">Login attempts</a> · `,
    h`<a href="${rateLimitsUrl(siteId, date)}">Rate-limited clients</a> · `,
    h`<a href="${triageUrl(siteId)}">Triage</a> · <a href="${auditUrl(siteId)}">Audit log</a></p>
${dateNav(date, today, (d) => reportUrl(siteId, d))}
${justDenied ? h`<p class="notice" role="status"><code>${justDenied}</code> was added to the deny list.</p>` : ''}

<section aria-labelledby="totals-h"><h2 id="totals-h">Totals</h2>
<dl class="cards">
${card('Requests', formatCount(totals.requests), delta(totals.requests, prev?.requests))}
${card('Allowed', formatCount(totals.allowed))}
${card('Blocked', formatCount(totals.blocked), delta(totals.blocked, prev?.blocked))}
${card('Would block (count mode)', formatCount(totals.counted))}
${card(
  'Success rate',
  formatRate(totals.successRate, 2),
  h`<span class="delta">prev. day ${formatRate(prev?.successRate ?? null, 2)}</span>`,
)}
${card('Unique IPs', formatCount(totals.uniqueIps))}
</dl></section>

<section aria-labelledby="timeline-h"><h2 id="timeline-h">Requests per hour</h2>
${timelineChart('timeline', report.timeline, tz)}
<details><summary>Timeline as a table</summary>
${table(
  'Requests per hour',
  ['Hour', '#Requests', '#Blocked', '#4xx', '#5xx'],
  report.timeline.map((p) =>
    joinHtml(
      h`<tr><th scope="row">${formatTime(p.start, tz)}</th>`,
      h`${num(p.requests)}${num(p.blocked)}${num(p.errors4xx)}${num(p.errors5xx)}</tr>`,
    ),
  ),
)}
</details></section>

<div class="grid2">
<section aria-labelledby="status-h"><h2 id="status-h">Status classes</h2>
${barChart(
  'status-chart',
  'Responses by status class',
  (['1xx', '2xx', '3xx', '4xx', '5xx'] as const).map((k) => ({
    label: k,
    value: report.statusClasses[k],
    tone: k === '5xx' ? 'f-e5' : k === '4xx' ? 'f-e4' : k === '2xx' ? 'f-ok' : 'f-bar',
  })),
  440,
)}
${table(
  'Responses by status class',
  ['Class', '#Requests'],
  (['1xx', '2xx', '3xx', '4xx', '5xx'] as const).map(
    (k) => h`<tr><th scope="row">${k}</th>${num(report.statusClasses[k])}</tr>`,
  ),
)}
</section>

<section aria-labelledby="origin-h"><h2 id="origin-h">Domestic and foreign</h2>
${barChart(
  'origin-chart',
  'Domestic, foreign and unknown-country requests, with blocked',
  [
    { label: 'domestic', value: report.domestic.requests, part: report.domestic.blocked },
    { label: 'foreign', value: report.foreign.requests, part: report.foreign.blocked },
    { label: 'unknown', value: report.unknownCountry.requests, part: report.unknownCountry.blocked },
  ],
  440,
)}
${table(
  'Domestic and foreign traffic',
  ['Origin', '#Requests', '#Blocked', '#Block rate'],
  [
    joinHtml(
      h`<tr><th scope="row">${home ? h`domestic (${countryLink(home)})` : 'domestic'}</th>`,
      h`${num(report.domestic.requests)}${num(report.domestic.blocked)}<td class="num">`,
      h`${formatRate(report.domestic.blockRate)}</td></tr>`,
    ),
    joinHtml(
      h`<tr><th scope="row">`,
      h`foreign</th>${num(report.foreign.requests)}${num(report.foreign.blocked)}<td class="num">`,
      h`${formatRate(report.foreign.blockRate)}</td></tr>`,
    ),
    joinHtml(
      h`<tr><th scope="row">${countryLink(null)}</th>`,
      h`${num(report.unknownCountry.requests)}${num(report.unknownCountry.blocked)}<td class="num">`,
      h`${formatRate(report.unknownCountry.blockRate)}</td></tr>`,
    ),
  ],
)}
</section>
</div>

<section aria-labelledby="countries-h"><h2 id="countries-h">Countries</h2>
${barChart(
  'countries-chart',
  'Requests by country, with blocked',
  report.topCountries.slice(0, 10).map((c) => ({ label: countryName(c.country), value: c.requests, part: c.blocked })),
)}
${table(
  'Top countries',
  ['Country', '#Requests', '#Blocked'],
  report.topCountries.map((c) =>
    joinHtml(
      h`<tr><th scope="row">${countryLink(c.country)}</th>`,
      h`${num(c.requests, countryUrl(siteId, c.country, date))}${num(c.blocked)}</tr>`,
    ),
  ),
)}
</section>

<section aria-labelledby="ips-h"><h2 id="ips-h">Top IPs</h2>
${table(
  'Top client IPs',
  ['IP', 'Country', '#Requests', '#Blocked', '#4xx', '#5xx'],
  report.topIps.map((r) =>
    joinHtml(
      h`<tr><th scope="row">${ipLink(r.ip)}</th>`,
      h`<td>${countryLink(r.country)}</td>`,
      h`${num(r.requests, ipUrl(siteId, r.ip, date))}${num(r.blocked)}${num(r.errors4xx)}${num(r.errors5xx)}</tr>`,
    ),
  ),
)}
</section>

<section aria-labelledby="paths-h"><h2 id="paths-h">Top paths</h2>
${table(
  'Top request paths',
  ['Path', '#Requests', '#Blocked', '#4xx', '#5xx'],
  report.topPaths.map((r) =>
    joinHtml(
      h`<tr><th scope="row" class="text"><a href="${pathUrl(siteId, r.path, date)}">`,
      h`<code>${r.path}</code></a>`,
      h`</th>${num(r.requests, pathUrl(siteId, r.path, date))}${num(r.blocked)}${num(r.errors4xx)}`,
      h`${num(r.errors5xx)}</tr>`,
    ),
  ),
)}
</section>

<section aria-labelledby="uas-h"><h2 id="uas-h">Top user agents</h2>
${table(
  'Top user agents',
  ['User agent', 'Bot category', '#Requests', '#Blocked'],
  report.topUserAgents.map((r) =>
    joinHtml(
      h`<tr><th scope="row" class="text"><code>${r.ua === '' ? '(none)' : r.ua}</code></th>`,
      h`<td>${r.botCategory ?? 'browser'}</td>${num(r.requests)}${num(r.blocked)}</tr>`,
    ),
  ),
)}
</section>

<section aria-labelledby="bots-h"><h2 id="bots-h">Bots by category</h2>
${barChart(
  'bots-chart',
  'Bot requests by category, with blocked',
  report.bots.map((b) => ({ label: b.category, value: b.requests, part: b.blocked })),
)}
${table(
  'Bot traffic by category',
  ['Category', '#Requests', '#Blocked'],
  report.bots.map((b) => h`<tr><th scope="row">${b.category}</th>${num(b.requests)}${num(b.blocked)}</tr>`),
)}
</section>

<section aria-labelledby="rules-h"><h2 id="rules-h">Blocks by rule</h2>
${table(
  'Blocks by rule',
  ['Rule', '#Blocked', '#Would block'],
  report.blocksByRule.map(
    (r) => h`<tr><th scope="row"><code>${r.rule}</code></th>${num(r.blocked)}${num(r.counted)}</tr>`,
  ),
)}
</section>

<section aria-labelledby="bursts-h"><h2 id="bursts-h">Error bursts</h2>
${table(
  report.burstThreshold === undefined
    ? 'Times past the burst threshold in some 30 s (5-s resolution), each burst once'
    : `Times with more than ${report.burstThreshold} errors in some 30 s (5-s resolution), each burst once`,
  ['From–to', 'Errors (worst 30 s)', 'IPs behind it'],
  report.bursts.map((b) =>
    joinHtml(
      h`<tr><th scope="row">${formatTime(b.start, tz, true)}–${formatTime(b.end, tz, true)}</th>`,
      h`${num(b.errors)}<td>${b.ips.map((i, n) =>
        joinHtml(h`${n ? ', ' : ''}${ipLink(i.ip)} (`, h`${formatCount(i.errors)})`),
      )}</td></tr>`,
    ),
  ),
  'No error bursts on this day.',
)}
</section>

<section aria-labelledby="s5xx-h"><h2 id="s5xx-h">Suspicious clients answered 5xx</h2>
${table(
  'Clients that got 5xx where a 403 was deserved',
  ['IP', '#5xx', 'Why'],
  report.suspicious5xx.map((s) =>
    joinHtml(
      h`<tr><th scope="row">${ipLink(s.ip)}</th>${num(s.errors5xx, ipUrl(siteId, s.ip, date))}<td>`,
      h`<ul class="reasons">${s.reasons.map((r) => h`<li>${r}</li>`)}</ul></td></tr>`,
    ),
  ),
  'None on this day.',
)}
</section>

${renderBotActivitySection(report)}

${renderTriageSection(report)}

<section aria-labelledby="recs-h" id="recommendations"><h2 id="recs-h">Recommended for the deny list</h2>
${table(
  'IPs recommended for the deny list, with evidence',
  ['IP', 'Country', '#Requests', 'Evidence', 'Action'],
  report.recommendations.map((r) => {
    const denied = r.denied || r.ip === justDenied;
    return joinHtml(
      h`<tr><th scope="row">${ipLink(r.ip)}</th>`,
      h`<td>${countryLink(r.country)}</td>${num(r.requests, ipUrl(siteId, r.ip, date))}<td>`,
      h`<ul class="reasons">${r.reasons.map((x) => h`<li>${x}</li>`)}</ul></td><td>${
        denied
          ? h`<span class="badge denied">Denied</span>`
          : viewer === null
            ? h`<span class="muted">not denied</span>`
            : joinHtml(
                h`<form class="inline" method="post" action="${denyUrl(siteId)}">`,
                h`<input type="hidden" name="csrf" value="${viewer.csrfToken}">`,
                h`<input type="hidden" name="ip" value="${r.ip}"><input type="hidden" name="date" value="${date}">`,
                h`<input type="hidden" name="reason" value="${storableReason(r.reasons.join('; '))}">`,
                h`<button type="submit" aria-label="Add ${r.ip} to the deny list">Add to deny list</button></form>`,
              )
      }</td></tr>`,
    );
  }),
  'No recommendations for this day.',
)}
</section>

<section aria-labelledby="cmp-h"><h2 id="cmp-h">Comparison</h2>
<div class="table-wrap"><table>
<caption>This day against the previous day and the trailing seven days (daily average)</caption>
<thead><tr><th scope="col">Period</th><th scope="col" class="num">Requests</th><th scope="col" class="num">`,
    h`Blocked</th><th scope="col" class="num">4xx</th><th scope="col" class="num">5xx</th>`,
    h`<th scope="col" class="num">Success rate</th></tr></thead>
<tbody>
<tr><th scope="row">${date}</th>`,
    h`${num(totals.requests)}${num(totals.blocked)}${num(report.statusClasses['4xx'])}`,
    h`${num(report.statusClasses['5xx'])}<td class="num">${formatRate(totals.successRate, 4)}</td></tr>
${comparisonRow('previous day', report.comparison.previousDay)}
${comparisonRow('trailing 7 days', report.comparison.trailing7Days)}
<tr><th scope="row">change vs previous day</th>`,
    h`<td class="num">${formatChange(report.comparison.change.requests)}</td>`,
    h`<td class="num">${formatChange(report.comparison.change.blocked)}</td><td class="num">—</td>`,
    h`<td class="num">${formatChange(report.comparison.change.errors5xx)}</td><td class="num">—</td></tr>
</tbody></table></div>
</section>`,
  );
  return page({ title: `${site.name} · ${date}`, body, viewer });
}
