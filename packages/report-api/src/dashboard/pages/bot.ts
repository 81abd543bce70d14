import type { HtmlEscapedString } from 'hono/utils/html';
import { h, joinHtml } from '../html.js';
import { dateNav, num, page, table, type Viewer } from '../layout.js';
import type { BotDetail } from '../types.js';
import { botUrl, reportUrl } from '../urls.js';
import { decisionTable, ipTable, pathTable, sliceSummary, statusTable } from './slice.js';

/**
 * The drill-down page of one bot by name: timeline, the addresses it came from, the paths it asked
 * for, statuses, what the engine decided and its user agents. The name is the client's claim,
 * escaped like every traffic text; impersonators are on the report page, with their addresses.
 *
 * @example
 * renderBotPage({ detail, today: '2026-11-26', viewer: { csrfToken } });
 */
export function renderBotPage({
  detail,
  today,
  viewer,
}: {
  detail: BotDetail;
  today: string;
  viewer: Viewer;
}): HtmlEscapedString {
  const { site, date, name } = detail;
  const siteId = site.id;
  const categories = detail.categories.map((c) => c.category).join(', ') || 'none on this day';
  const body = h`
<p><a href="${reportUrl(siteId, date)}">← ${site.name}: report for ${date}</a></p>
<h1>Bot <code>${name}</code></h1>
<p>Category: ${categories}. The name is what its user agents claim. Only crawlers whose operators
publish their addresses are checked; claims from outside those addresses are listed as impersonators
on the report page, not here.</p>
${dateNav(date, today, (d) => botUrl(siteId, name, d), [['name', name]])}
${sliceSummary(detail, 'bot-timeline')}
<section aria-labelledby="ips-h"><h2 id="ips-h">IPs</h2>
${ipTable('Addresses this bot came from', siteId, date, detail.ips)}
</section>
<section aria-labelledby="paths-h"><h2 id="paths-h">Paths</h2>
${pathTable('Paths this bot asked for', siteId, date, detail.paths)}
</section>
<div class="grid2">
<section aria-labelledby="status-h"><h2 id="status-h">Statuses</h2>${statusTable(detail.statuses)}</section>
<section aria-labelledby="decisions-h"><h2 id="decisions-h">Decisions</h2>
${decisionTable(detail.decisions)}
</section>
</div>
<section aria-labelledby="uas-h"><h2 id="uas-h">User agents</h2>
${table(
  'User agents under this name',
  ['User agent', '#Requests', '#Blocked'],
  detail.userAgents.map((u) =>
    joinHtml(
      h`<tr><th scope="row" class="text"><code>${u.ua === '' ? '(none)' : u.ua}</code></th>`,
      h`${num(u.requests)}${num(u.blocked)}</tr>`,
    ),
  ),
)}
</section>`;
  return page({ title: `${name} · ${date}`, body, viewer });
}
