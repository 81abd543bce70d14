import type { HtmlEscapedString } from 'hono/utils/html';
import { h, joinHtml } from '../html.js';
import { page, table, type Viewer } from '../layout.js';
import type { DashboardSite } from '../types.js';
import { BASE, reportUrl } from '../urls.js';

/**
 * The list of sites this session can see (one per admin key signed in with).
 *
 * @example
 * renderSitesPage({ sites, viewer: { csrfToken } });
 */
export function renderSitesPage({ sites, viewer }: { sites: DashboardSite[]; viewer: Viewer }): HtmlEscapedString {
  const body = h`<h1>Sites</h1>
${table(
  'Sites you are signed in to',
  ['Site', 'Time zone', 'Home country'],
  sites.map((s) =>
    joinHtml(
      h`<tr><th scope="row"><a href="${reportUrl(s.id)}">${s.name}</a></th><td>${s.timeZone}</td>`,
      h`<td>${s.homeCountry ?? '—'}</td></tr>`,
    ),
  ),
  'No sites.',
)}
<p><a href="${BASE}/sign-in">Sign in to another site</a> with its admin key.</p>`;
  return page({ title: 'Sites', body, viewer });
}

/**
 * The sign-in form: the site's admin key, posted back to `/dashboard/sign-in`, with `next` (a path
 * `safeNext` accepted) as a hidden field so the browser goes back to the page that asked.
 *
 * @example
 * renderSignInPage({ error: 'That key was not accepted.' });
 */
export function renderSignInPage({
  error = null,
  viewer = null,
  next = null,
}: { error?: string | null; viewer?: Viewer | null; next?: string | null } = {}): HtmlEscapedString {
  const body = h`<div class="signin"><h1>Sign in</h1>
<p>Use the admin key of the site you want to see.</p>
${error ? h`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="${BASE}/sign-in">
${viewer ? h`<input type="hidden" name="csrf" value="${viewer.csrfToken}">` : ''}
${next ? h`<input type="hidden" name="next" value="${next}">` : ''}
<label for="adminKey">Admin key</label>
<input type="password" id="adminKey" name="adminKey" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form></div>`;
  return page({ title: 'Sign in', body, viewer });
}

/**
 * A short error page (bad date, unknown site, bad request).
 *
 * @example
 * renderErrorPage({ title: 'Bad date', message: '2026-02-30 is not a calendar date', viewer: null });
 */
export function renderErrorPage({
  title,
  message,
  viewer,
}: {
  title: string;
  message: string;
  viewer: Viewer | null;
}): HtmlEscapedString {
  return page({
    title,
    body: joinHtml(
      h`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="${BASE}">`,
      h`Back to the sites</a></p>`,
    ),
    viewer,
  });
}
