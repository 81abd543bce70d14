import type { HtmlEscapedString } from 'hono/utils/html';
import { CASE_KINDS, CASE_STATES, type Case } from '../../cases/kinds.js';
import { h, joinHtml } from '../html.js';
import { page, table, type Viewer } from '../layout.js';
import { auditUrl, ipUrl, reportUrl, triageUrl } from '../urls.js';
import type { DashboardSite } from '../types.js';

/** What the triage page shows. */
export interface TriagePageInput {
  site: DashboardSite;
  cases: Case[];
  filter: { state: string; kind: string | null; country: string | null };
  viewer: Viewer;
  /** How many cases the last form decided, for the confirmation line. */
  done: number | null;
  /** Whether the site has a ticket target (then each case can be ticketed). */
  tickets: boolean;
}

const EXPIRIES = [
  ['1d', '1 day'],
  ['7d', '7 days'],
  ['30d', '30 days'],
  ['forever', 'for good'],
] as const;

function evidence(c: Case): HtmlEscapedString {
  const days = Object.keys(c.evidence).sort().reverse().slice(0, 3);
  return h`<ul class="reasons">${days.map(
    (day) => h`<li><strong>${day}</strong>: ${c.evidence[day]!.reasons.slice(0, 3).join('; ')}</li>`,
  )}</ul>`;
}

function clientLink(site: DashboardSite, c: Case): HtmlEscapedString {
  return c.client.includes('/')
    ? h`<code>${c.client}</code>`
    : h`<a href="${ipUrl(site.id, c.client, c.lastDay)}"><code>${c.client}</code></a>`;
}

function option(value: string, label: string, selected: boolean): HtmlEscapedString {
  return selected
    ? h`<option value="${value}" selected>${label}</option>`
    : h`<option value="${value}">${label}</option>`;
}

/**
 * The triage page: open cases with their evidence, one button per decision on each row (deny for a
 * chosen time, allow, dismiss, and ticket when the site has a tracker), the same decisions for every
 * ticked case at once, and filters by state, kind and country. Plain forms and buttons: every
 * control has a label and is reachable with the keyboard (Tab, Space to tick, Enter to submit), and
 * it works without scripts.
 *
 * @example
 * renderTriagePage({ site, cases, filter: { state: 'new', kind: null, country: null }, viewer, done: null });
 */
export function renderTriagePage({ site, cases, filter, viewer, done, tickets }: TriagePageInput): HtmlEscapedString {
  const rows = cases.map((c, i) =>
    joinHtml(
      h`<tr><td><input type="checkbox" name="caseId" value="${c.id}" id="pick-${i}" aria-label="Select ${c.client}">`,
      h`</td><th scope="row">${clientLink(site, c)}</th><td>${c.country ?? '—'}</td><td>${c.state}</td>`,
      h`<td>${c.kinds.join(', ')}</td><td>${evidence(c)}</td><td class="num">${Math.round(c.requests)}</td>`,
      h`<td>${c.lastDay}</td><td class="actions">`,
      h`<button type="submit" name="pick" value="deny:${c.id}" aria-label="Deny ${c.client}">Deny</button> `,
      h`<button type="submit" name="pick" value="allow:${c.id}" class="secondary" aria-label="Allow ${c.client}">`,
      h`Allow</button> <button type="submit" name="pick" value="dismiss:${c.id}" class="secondary" `,
      h`aria-label="Dismiss ${c.client}">Dismiss</button>`,
      tickets
        ? joinHtml(
            h` <button type="submit" name="pick" value="ticket:${c.id}" class="secondary" `,
            h`aria-label="Ticket ${c.client}">Ticket</button>`,
          )
        : h``,
      h`</td></tr>`,
    ),
  );
  const expiries = EXPIRIES.map(([value, label]) => option(value, label, value === '7d'));
  const actions = ['deny', 'allow', 'dismiss', ...(tickets ? ['ticket'] : [])].map((action) =>
    option(action, action, action === 'deny'),
  );
  const body = joinHtml(
    h`<p><a href="${reportUrl(site.id)}">← ${site.name}: today's report</a> · `,
    h`<a href="${auditUrl(site.id)}">Audit log</a></p>
<h1>Triage: ${site.name}</h1>
${done === null ? '' : h`<p class="notice" role="status">${done} case${done === 1 ? '' : 's'} decided.</p>`}
<form method="get" action="${triageUrl(site.id)}" class="filters" aria-label="Filter cases">
<label>State <select name="state">${CASE_STATES.map((s) => option(s, s, s === filter.state))}</select></label>
<label>Kind <select name="kind">${option('', 'any', filter.kind === null)}${CASE_KINDS.map((k) =>
      option(k, k, k === filter.kind),
    )}</select></label>
<label>Country <input name="country" value="${filter.country ?? ''}" size="8" placeholder="JP or unknown"
 pattern="[A-Z]{2}|unknown"></label>
<button type="submit" class="secondary">Filter</button>
</form>
<form method="post" action="${triageUrl(site.id)}">
<input type="hidden" name="csrf" value="${viewer.csrfToken}">
<fieldset><legend>Decision</legend>
<label>Deny for <select name="expiry">${expiries}</select></label>
<label>Reason or note (required to allow or dismiss) <input name="reason" maxlength="500" size="40"></label>
<label>For every ticked case <select name="action">${actions}</select></label>
<button type="submit" name="bulk" value="1">Apply to ticked cases</button>
</fieldset>
`,
    table(
      `Cases (${filter.state}), most recently updated first`,
      ['Pick', 'Client', 'Country', 'State', 'Kinds', 'Evidence', '#Requests', 'Last seen', 'Decide'],
      rows,
      'No cases here. Cases come from the daily report’s recommendations.',
    ),
    h`</form>`,
  );
  return page({ title: `Triage · ${site.name}`, body, viewer });
}
