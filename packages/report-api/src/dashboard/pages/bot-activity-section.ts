import type { HtmlEscapedString } from 'hono/utils/html';
import type { DailyReport } from '../../reports/types.js';
import { h, joinHtml } from '../html.js';
import { table } from '../layout.js';
import { botUrl, ipUrl } from '../urls.js';

/**
 * The report page's bot activity: bots by name, AI user agents, impersonators with their
 * addresses, and who fetched robots.txt. Names and user agents are traffic text, escaped by the
 * `h` tag.
 *
 * @example
 * const section = renderBotActivitySection(report);
 */
export function renderBotActivitySection(report: DailyReport): HtmlEscapedString {
  const activity = report.botActivity;
  if (!activity) return h``;
  const { id: siteId } = report.site;
  const title = 'Bots by name, AI crawlers, impersonators, robots.txt';
  return h`<section aria-labelledby="bot-activity-h" id="bot-activity"><h2 id="bot-activity-h">${title}</h2>
${table(
  'Bots by name (verified: claims checked against the addresses the operator publishes)',
  ['Bot', 'Category', 'Claims', '#Requests', '#Blocked', '#Impersonated', '#Impersonators blocked'],
  activity.byName.map((b) =>
    joinHtml(
      h`<tr><th scope="row"><a href="${botUrl(siteId, b.name, report.date)}">${b.name}</a></th><td>${b.category}</td>`,
      h`<td>${b.checked ? 'verified' : 'as claimed'}</td>`,
      h`<td class="num">${b.requests}</td><td class="num">${b.blocked}</td>`,
      h`<td class="num">${b.impersonated.requests}</td><td class="num">${b.impersonated.blocked}</td></tr>`,
    ),
  ),
  'No named bots on this day (or a day stored before events carried names).',
)}
${table(
  `AI crawlers and agents: ${activity.ai.requests} requests, ${activity.ai.blocked} blocked`,
  ['User agent', 'Category', '#Requests', '#Blocked'],
  activity.ai.userAgents.map((u) =>
    joinHtml(
      h`<tr><th scope="row">${u.ua}</th><td>${u.category}</td>`,
      h`<td class="num">${u.requests}</td><td class="num">${u.blocked}</td></tr>`,
    ),
  ),
  'No AI traffic on this day.',
)}
${table(
  `Impersonated crawlers: ${activity.impersonators.requests} requests`,
  ['IP', 'Country', 'Claimed user agent', 'Reverse DNS', '#Requests', '#Blocked'],
  activity.impersonators.clients.map((c) =>
    joinHtml(
      h`<tr><th scope="row"><a href="${ipUrl(siteId, c.ip, report.date)}"><code>${c.ip}</code></a></th>`,
      h`<td>${c.country ?? '—'}</td><td>${c.ua}</td>`,
      h`<td>${c.rdns === null ? 'not checked' : `${c.rdns.state}${c.rdns.host ? ` (${c.rdns.host})` : ''}`}</td>`,
      h`<td class="num">${c.requests}</td><td class="num">${c.blocked}</td></tr>`,
    ),
  ),
  'No impersonators on this day.',
)}
${table(
  `robots.txt: fetched ${activity.robotsTxt.fetches} times`,
  ['User agent', 'Bot category', '#Requests'],
  activity.robotsTxt.fetchers.map(
    (f) =>
      h`<tr><th scope="row">${f.ua}</th><td>${f.botCategory ?? 'browser'}</td><td class="num">${f.requests}</td></tr>`,
  ),
  'Nobody fetched robots.txt on this day.',
)}
</section>`;
}
