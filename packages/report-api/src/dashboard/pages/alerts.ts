import type { HtmlEscapedString } from 'hono/utils/html';
import type { AlertDelivery, AlertSettings, Webhook } from '../../db/alerts.js';
import { redactUrl } from '../../alerts/webhook-url.js';
import { localDate } from '../../alerts/schedule.js';
import { h, joinHtml } from '../html.js';
import { formatTime } from '../format.js';
import { page, table, type Viewer } from '../layout.js';
import type { DashboardSite } from '../types.js';
import { BASE, reportUrl, uriComponent } from '../urls.js';

/**
 * The alerts page of a site.
 *
 * @example
 * alertsUrl('s_1'); // '/dashboard/sites/s_1/alerts'
 */
export function alertsUrl(siteId: string): string {
  return `${BASE}/sites/${uriComponent(siteId)}/alerts`;
}

/** What the alerts page shows. */
export interface AlertsPageData {
  site: DashboardSite;
  settings: AlertSettings;
  nextReportAt: number;
  webhooks: Webhook[];
  deliveries: AlertDelivery[];
  today: string;
}

/**
 * The alerts page: the daily report schedule, the webhooks (URLs redacted: they are secrets) and
 * the delivery log with every failure, newest first. Changes are made with the CLI or the API.
 *
 * @example
 * renderAlertsPage({ data, viewer: { csrfToken } });
 */
export function renderAlertsPage({ data, viewer }: { data: AlertsPageData; viewer: Viewer }): HtmlEscapedString {
  const { site, settings, nextReportAt, webhooks, deliveries, today } = data;
  const hookNames = new Map(webhooks.map((hook) => [hook.id, redactUrl(hook.url)]));
  const when = (ms: number) => `${localDate(ms, site.timeZone)} ${formatTime(ms, site.timeZone, true)}`;
  const failed = deliveries.filter((d) => d.status !== 'delivered').length;
  const body = joinHtml(
    h`
<p><a href="${reportUrl(site.id, today)}">← ${site.name}: report for ${today}</a></p>
<h1>${site.name}: alerts</h1>
<section aria-labelledby="schedule-h"><h2 id="schedule-h">Daily report</h2>
<p>At <strong>${settings.reportTime}</strong> (${site.timeZone}), ${
      settings.businessDaysOnly ? 'Monday to Friday' : 'every day'
    }.
Next: <strong>${when(nextReportAt)}</strong>. Change it with <code>`,
    h`watchpost alerts schedule --site ${site.id} --report-time HH:MM</code> or <code>`,
    h`PUT /v1/alerts/settings</code>.</p>
</section>
<section aria-labelledby="hooks-h"><h2 id="hooks-h">Webhooks</h2>
${table(
  'Webhooks that receive alerts and the daily report',
  ['Id', 'URL (redacted)', 'Added'],
  webhooks.map((hook) =>
    joinHtml(
      h`<tr><th scope="row"><code>${hook.id}</code></th><td><code>${redactUrl(hook.url)}</code></td>`,
      h`<td>${when(hook.createdAt)}</td></tr>`,
    ),
  ),
  'No webhook yet: add one with watchpost webhooks add or POST /v1/webhooks.',
)}
</section>
<section aria-labelledby="log-h"><h2 id="log-h">Deliveries</h2>
<p>${deliveries.length} most recent, ${failed} not delivered.</p>
${table(
  'Delivery log, newest first',
  ['Time', 'Kind', 'Message', 'Webhook', 'Status', '#HTTP', '#Attempts', 'Error'],
  deliveries.map((d) =>
    joinHtml(
      h`<tr><th scope="row">${when(d.at)}</th><td>${d.kind}</td><td class="text">${d.summary}</td><td>`,
      h`<code>${hookNames.get(d.webhookId) ?? `${d.webhookId} (removed)`}</code></td>`,
      h`<td>${d.status === 'delivered' ? 'delivered' : h`<strong>${d.status}</strong>`}</td>`,
      h`<td class="num">${d.httpStatus ?? '–'}</td><td class="num">${d.attempts}</td>`,
      h`<td class="text">${d.error ?? ''}</td></tr>`,
    ),
  ),
  'Nothing sent yet.',
)}
</section>`,
  );
  return page({ title: `${site.name} · alerts`, body, viewer });
}
