import type { HtmlEscapedString } from 'hono/utils/html';
import type { DailyReport } from '../../reports/types.js';
import { barChart } from '../charts.js';
import { h, joinHtml } from '../html.js';
import { formatCount, formatRate, formatTime } from '../format.js';
import { card, dateNav, num, page, table, type Viewer } from '../layout.js';
import { countryUrl, ipUrl, loginsUrl, rateLimitsUrl, reportUrl } from '../urls.js';

/** What both pages take: the day's report, today's date for the date picker, and the viewer. */
interface PageArgs {
  report: DailyReport;
  today: string;
  viewer: Viewer;
}

/** An account hash shortened for a table cell; the full hash is in the title. */
const shortHash = (hash: string) => h`<code title="${hash}">${hash.slice(0, 12)}…</code>`;

function header(report: DailyReport, today: string, title: string, urlFor: (date: string) => string) {
  const { site, date } = report;
  return h`<p><a href="${reportUrl(site.id, date)}">← ${site.name}: report for ${date}</a></p>
<h1>${title}</h1>
${dateNav(date, today, urlFor)}`;
}

/**
 * The login attempts of a day: totals, attempts per hour, the clients, countries and (hashed)
 * accounts behind them, and the detections with their evidence. Each client links to its IP page.
 *
 * @example
 * renderLoginsPage({ report, today: '2026-11-26', viewer });
 */
export function renderLoginsPage({ report, today, viewer }: PageArgs): HtmlEscapedString {
  const { site, date } = report;
  const tz = site.timeZone;
  const logins = report.logins;
  const top = header(report, today, 'Login attempts', (d) => loginsUrl(site.id, d));
  if (logins === undefined || logins.attempts === 0) {
    const body = h`${top}<p class="empty">No login attempts on ${date}. Declare your login endpoints with the
middleware's <code>logins</code> option (or report outcomes with <code>req.watchpost.login()</code>), or import
logs with <code>--login-path POST:/login</code>, and they appear here.</p>`;
    return page({ title: `Logins · ${date}`, body, viewer });
  }
  const byHour = logins.byHour.map((p) => ({
    label: formatTime(p.start, tz),
    value: p.attempts,
  }));
  const body = h`${top}
<section aria-labelledby="login-totals-h"><h2 id="login-totals-h">Totals</h2>
<dl class="cards">
${card('Attempts', formatCount(logins.attempts))}
${card('Failures', formatCount(logins.failures))}
${card('Success rate', formatRate(logins.successRate))}
${card('Accounts targeted', formatCount(logins.accounts.distinct))}
${card('Detections', formatCount(logins.detections.length))}
</dl></section>
<section aria-labelledby="detections-h"><h2 id="detections-h">Detections</h2>
${table(
  'Login attacks detected',
  ['Kind', 'Client', 'Account', '#Events', 'First', 'Last', 'Evidence'],
  logins.detections.map((d) =>
    joinHtml(
      h`<tr><th scope="row">${d.kind}</th><td>${
        d.ip === null ? 'many' : h`<a href="${ipUrl(site.id, d.ip, date)}"><code>${d.ip}</code></a>`
      }</td>`,
      h`<td>${d.account === null ? '—' : shortHash(d.account)}</td>${num(d.count)}`,
      h`<td>${formatTime(d.first, tz, true)}</td><td>${formatTime(d.last, tz, true)}</td>`,
      h`<td class="text">${d.evidence}</td></tr>`,
    ),
  ),
)}
</section>
<section aria-labelledby="login-hours-h"><h2 id="login-hours-h">Attempts per hour</h2>
${barChart('login-hours', 'Login attempts per hour', byHour)}
<details><summary>Attempts and failures per hour as a table</summary>
${table(
  'Login attempts per hour',
  ['Hour', '#Attempts', '#Failures'],
  logins.byHour.map(
    (p) => h`<tr><th scope="row">${formatTime(p.start, tz)}</th>${num(p.attempts)}${num(p.failures)}</tr>`,
  ),
)}
</details></section>
<div class="grid2">
<section aria-labelledby="login-clients-h"><h2 id="login-clients-h">Clients</h2>
${table(
  'Clients attempting logins',
  ['IP', 'Country', '#Attempts', '#Failures', '#Accounts'],
  logins.topClients.map((c) =>
    joinHtml(
      h`<tr><th scope="row"><a href="${ipUrl(site.id, c.ip, date)}"><code>${c.ip}</code></a></th>`,
      h`<td><a href="${countryUrl(site.id, c.country, date)}">${c.country ?? 'unknown'}</a></td>`,
      h`${num(c.attempts)}${num(c.failures)}${num(c.accounts)}</tr>`,
    ),
  ),
)}
</section>
<section aria-labelledby="login-countries-h"><h2 id="login-countries-h">Countries</h2>
${table(
  'Countries attempting logins',
  ['Country', '#Attempts', '#Failures'],
  logins.topCountries.map(
    (c) => h`<tr><th scope="row">${c.country ?? 'unknown'}</th>${num(c.attempts)}${num(c.failures)}</tr>`,
  ),
)}
</section>
</div>
<section aria-labelledby="accounts-h"><h2 id="accounts-h">Accounts targeted (hashed)</h2>
<p>Accounts are HMAC hashes made by the middleware with your site's key; Watchpost never sees them in clear.</p>
${table(
  'Accounts with the most failures',
  ['Account', '#Failures', '#Clients'],
  logins.accounts.top.map(
    (a) => h`<tr><th scope="row">${shortHash(a.account)}</th>${num(a.failures)}${num(a.clients)}</tr>`,
  ),
)}
</section>`;
  return page({ title: `Logins · ${date}`, body, viewer });
}

/**
 * The clients refused or counted by a rate rule that day, with their rules, peak rate per minute
 * and first and last refusal. Each client links to its IP page.
 *
 * @example
 * renderRateLimitsPage({ report, today: '2026-11-26', viewer });
 */
export function renderRateLimitsPage({ report, today, viewer }: PageArgs): HtmlEscapedString {
  const { site, date } = report;
  const tz = site.timeZone;
  const section = report.rateLimited;
  const top = header(report, today, 'Rate-limited clients', (d) => rateLimitsUrl(site.id, d));
  if (section === undefined || section.clients.length === 0) {
    const body = h`${top}<p class="empty">No client went over a rate rule on ${date}. Rate rules are the
middleware's <code>rateRules</code> option (<code>ratePresets.standard</code> is a start) and the worker's
<code>RATE_RULES</code>.</p>`;
    return page({ title: `Rate limits · ${date}`, body, viewer });
  }
  const when = (ms: number | null) => (ms === null ? '—' : formatTime(ms, tz, true));
  const { clients, totals } = section;
  const listed = `The ${formatCount(clients.length)} clients refused most, of ${formatCount(totals.clients)}.`;
  const body = h`${top}
<dl class="cards">
${card('Clients', formatCount(section.totals.clients))}
${card('Refused', formatCount(section.totals.refused))}
${card('Would refuse (count mode)', formatCount(section.totals.counted))}
</dl>
${section.totals.clients > section.clients.length ? h`<p>${listed}</p>` : ''}
${table(
  'Clients over a rate rule',
  ['IP', 'Country', 'Rules', '#Refused', '#Counted', 'Peak per minute', 'First refused', 'Last refused'],
  section.clients.map((c) =>
    joinHtml(
      h`<tr><th scope="row"><a href="${ipUrl(site.id, c.ip, date)}"><code>${c.ip}</code></a></th>`,
      h`<td>${c.country ?? 'unknown'}</td><td class="text">${c.rules.join(', ')}</td>`,
      h`${num(c.refused)}${num(c.counted)}${num(c.peakPerMinute)}<td>${when(c.firstRefused)}</td>`,
      h`<td>${when(c.lastRefused)}</td></tr>`,
    ),
  ),
)}`;
  return page({ title: `Rate limits · ${date}`, body, viewer });
}
