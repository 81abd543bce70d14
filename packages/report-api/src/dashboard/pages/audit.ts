import type { HtmlEscapedString } from 'hono/utils/html';
import type { AuditPage } from '../../db/audit.js';
import { localDateAt } from '../../time/days.js';
import { formatTime } from '../format.js';
import { h } from '../html.js';
import { page, table, type Viewer } from '../layout.js';
import { auditUrl, reportUrl, triageUrl } from '../urls.js';
import type { DashboardSite } from '../types.js';

const CAPTION = 'Changes of the last 30 days, oldest first';

/**
 * The audit log page: who changed what (deny list, keys, cases, the site), when and why, oldest first
 * over the last 30 days, a page at a time. Labels and reasons are user text, escaped like traffic.
 *
 * @example
 * renderAuditPage({ site, audit: await store.listAudit(site.id, query), viewer });
 */
export function renderAuditPage({
  site,
  audit,
  viewer,
}: {
  site: DashboardSite;
  audit: AuditPage;
  viewer: Viewer;
}): HtmlEscapedString {
  const rows = audit.entries.map(
    (e) =>
      h`<tr><td>${localDateAt(e.at, site.timeZone)} ${formatTime(e.at, site.timeZone)}</td><td>${e.actor.kind}: ${
        e.actor.label
      }</td><th scope="row">${e.action}</th><td><code>${e.target}</code></td><td>${e.reason}</td></tr>`,
  );
  const body = h`<p><a href="${reportUrl(site.id)}">← ${site.name}: today's report</a> · <a href="${triageUrl(
    site.id,
  )}">Triage</a></p>
<h1>Audit log: ${site.name}</h1>
${table(CAPTION, ['When', 'Who', 'What', 'Target', 'Why'], rows, 'No changes recorded.')}
${audit.next ? h`<p><a href="${auditUrl(site.id, audit.next)}">Next page →</a></p>` : ''}`;
  return page({ title: `Audit log · ${site.name}`, body, viewer });
}
