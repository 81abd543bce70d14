import type { HtmlEscapedString } from 'hono/utils/html';
import { h, joinHtml } from '../html.js';
import { dateNav, num, page, table, type Viewer } from '../layout.js';
import type { IpDetail } from '../types.js';
import { countryUrl, denyUrl, ipUrl, reportUrl } from '../urls.js';
import { localDateAt, localTime } from '../../time/days.js';
import { decisionTable, pathTable, sliceSummary, statusTable } from './slice.js';

/** An instant as the site's people read it: `2026-11-26 14:05 Asia/Tokyo`. */
const siteTime = (ms: number, timeZone: string) =>
  `${localDateAt(ms, timeZone)} ${localTime(ms, timeZone)} ${timeZone}`;

/**
 * The drill-down page of one client IP: timeline, paths, user agents, statuses, decisions,
 * and whether it is on the deny list (and why), with a button to add it.
 *
 * @example
 * renderIpPage({ detail, today: '2026-11-26', viewer: { csrfToken } });
 */
export function renderIpPage({
  detail,
  today,
  viewer,
  justDenied = false,
}: {
  detail: IpDetail;
  today: string;
  viewer: Viewer;
  justDenied?: boolean;
}): HtmlEscapedString {
  const { site, date, ip } = detail;
  const siteId = site.id;
  const denied = detail.denied;
  const body = h`
<p><a href="${reportUrl(siteId, date)}">← ${site.name}: report for ${date}</a></p>
<h1>IP <code>${ip}</code></h1>
${dateNav(date, today, (d) => ipUrl(siteId, ip, d), [['ip', ip]])}
${justDenied ? h`<p class="notice" role="status"><code>${ip}</code> was added to the deny list.</p>` : ''}
<section aria-labelledby="deny-h"><h2 id="deny-h">Deny list</h2>
${
  denied
    ? joinHtml(
        h`<p><span class="badge denied">Denied</span> by entry <code>${denied.value}</code>`,
        h` (${denied.source}, since ${siteTime(denied.createdAt, site.timeZone)}`,
        denied.expiresAt ? h`, until ${siteTime(denied.expiresAt, site.timeZone)}` : h``,
        h`). Reason: ${denied.reason || '(none given)'}</p>`,
      )
    : joinHtml(
        h`<p>Not on the deny list.</p>
<form method="post" action="${denyUrl(siteId)}"><input type="hidden" name="csrf" value="${viewer.csrfToken}">`,
        h`<input type="hidden" name="ip" value="${ip}"><input type="hidden" name="date" value="${date}">`,
        h`<input type="hidden" name="back" value="ip">
<label for="reason">Reason</label>`,
        h` <input type="text" id="reason" name="reason" maxlength="500" value="added from the dashboard">
<button type="submit">Add to deny list</button></form>`,
      )
}
</section>
${sliceSummary(detail, 'ip-timeline')}
<section aria-labelledby="countries-h"><h2 id="countries-h">Countries</h2>
${table(
  'Countries this IP was seen from',
  ['Country', '#Requests', '#Blocked'],
  detail.countries.map((c) =>
    joinHtml(
      h`<tr><th scope="row"><a href="${countryUrl(siteId, c.country, date)}">${c.country ?? 'unknown'}</a>`,
      h`</th>${num(c.requests)}${num(c.blocked)}</tr>`,
    ),
  ),
)}
</section>
<section aria-labelledby="paths-h"><h2 id="paths-h">Paths</h2>
${pathTable('Paths requested by this IP', siteId, date, detail.paths)}
</section>
<section aria-labelledby="uas-h"><h2 id="uas-h">User agents</h2>
${table(
  'User agents sent by this IP',
  ['User agent', 'Bot category', '#Requests', '#Blocked'],
  detail.userAgents.map((u) =>
    joinHtml(
      h`<tr><th scope="row" class="text"><code>${u.ua === '' ? '(none)' : u.ua}</code></th>`,
      h`<td>${u.botCategory ?? 'browser'}</td>${num(u.requests)}${num(u.blocked)}</tr>`,
    ),
  ),
)}
</section>
<div class="grid2">
<section aria-labelledby="status-h"><h2 id="status-h">Statuses</h2>${statusTable(detail.statuses)}</section>
<section aria-labelledby="decisions-h"><h2 id="decisions-h">Decisions</h2>
${decisionTable(detail.decisions)}
</section>
</div>`;
  return page({ title: `${ip} · ${date}`, body, viewer });
}
