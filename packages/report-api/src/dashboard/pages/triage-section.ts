import type { HtmlEscapedString } from 'hono/utils/html';
import type { DailyReport } from '../../reports/types.js';
import { formatTime } from '../format.js';
import { h, joinHtml } from '../html.js';
import { table } from '../layout.js';
import { ipUrl } from '../urls.js';

/** A client link: IPs open their drill-down, an IPv6 /64 is shown as text. */
function clientCell(siteId: string, client: string, date: string): HtmlEscapedString {
  return client.includes('/') ? h`${client}` : h`<a href="${ipUrl(siteId, client, date)}">${client}</a>`;
}

/**
 * The report page's triage section: the case decisions of the day and the cases still open. Every
 * value is escaped by the `h` tag (reasons and labels are user text).
 *
 * @example
 * const section = renderTriageSection(report);
 */
export function renderTriageSection(report: DailyReport): HtmlEscapedString {
  const triage = report.triage;
  const { id: siteId, timeZone } = report.site;
  if (!triage) return h``;
  const more = triage.open.more ? '+' : '';
  return h`<section aria-labelledby="triage-h" id="triage"><h2 id="triage-h">Triage</h2>
${table(
  'Decided since the last report',
  ['Client', 'Decision', 'By', 'At', 'Reason'],
  triage.decided.map(
    (d) =>
      h`<tr><th scope="row">${clientCell(siteId, d.client, report.date)}</th><td>${d.state}${
        d.expiresAt === null ? '' : h` until ${new Date(d.expiresAt).toISOString().slice(0, 10)}`
      }</td><td>${d.by}</td><td>${formatTime(d.at, timeZone)}</td><td>${d.reason}</td></tr>`,
  ),
  'No decisions on this day.',
)}
${table(
  `Still open: ${triage.open.count}${more} cases (the ones with the most requests)`,
  ['Client', 'Country', 'Evidence', 'Last seen'],
  triage.open.top.map((c) =>
    joinHtml(
      h`<tr><th scope="row">${clientCell(siteId, c.client, c.lastDay)}</th><td>${c.country ?? '—'}</td>`,
      h`<td>${c.kinds.join(', ')}</td><td>${c.lastDay}</td></tr>`,
    ),
  ),
  'No open cases.',
)}
</section>`;
}
