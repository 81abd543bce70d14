/**
 * The dashboard's sign-in: the form and its post (a site's admin key opens a session cookie, and
 * the browser goes on to the page that asked, `next`), the check every later route passes (a live
 * session, and its CSRF token on posts), and sign-out.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Viewer } from './layout.js';
import { renderErrorPage, renderSignInPage } from './pages/sites.js';
import type { Session, Sessions } from './session.js';
import type { DashboardData, DashboardSite } from './types.js';
import { BASE, reportUrl, safeNext, signInUrl } from './urls.js';

/**
 * Name of the session cookie (Path=/dashboard, HttpOnly, SameSite=Strict).
 *
 * @example
 * getCookie(c, SESSION_COOKIE);
 */
export const SESSION_COOKIE = 'watchpost_session';
/** Most sites one session can hold (one per admin key signed in with). */
const MAX_SITES = 20;

type Env = { Variables: { session: Session; viewer: Viewer; site: DashboardSite } };

/** What sign-in needs from the dashboard's router. */
export interface SignInTools {
  sessions: Sessions;
  data: DashboardData;
  /** Whether the cookie is marked `Secure` for this request. */
  secure: (c: Context) => boolean;
  html: (c: Context, body: { toString(): string }, status?: 200 | 401 | 403) => Response;
}

/**
 * Adds `GET/POST /sign-in`, then the session check every route added after it passes, then
 * `POST /sign-out`, to the dashboard.
 *
 * @example
 * registerSignIn(app, { sessions, data, secure, html });
 */
export function registerSignIn(app: Hono<Env>, { sessions, data, secure, html }: SignInTools): void {
  /**
   * The cookie's session, narrowed to the sites whose admin key still exists: revoking a key ends
   * every session signed in with it (at its next request). Null when no site is left.
   */
  async function currentSession(c: Context): Promise<Session | null> {
    const session = await sessions.verify(getCookie(c, SESSION_COOKIE));
    if (!session || session.keyIds.length === 0) return null;
    const held = await Promise.all(session.siteIds.map((id, i) => data.holdsAdminKey(id, session.keyIds[i] ?? '')));
    const siteIds = session.siteIds.filter((_, i) => held[i]);
    if (siteIds.length === 0) return null;
    return { ...session, siteIds, keyIds: session.keyIds.filter((_, i) => held[i]) };
  }
  async function viewerOf(session: Session): Promise<Viewer> {
    return { csrfToken: await sessions.csrfToken(session) };
  }

  app.get('/sign-in', async function signInForm(c) {
    const session = await currentSession(c);
    const next = safeNext(c.req.query('next'));
    return html(c, renderSignInPage({ viewer: session ? await viewerOf(session) : null, next }));
  });

  app.post('/sign-in', async function signIn(c) {
    const form = await c.req.parseBody();
    const existing = await currentSession(c);
    // Adding a site to a live session is an action of that session: it needs its CSRF token.
    if (existing && !(await sessions.checkCsrf(existing, form['csrf']))) {
      return html(
        c,
        renderErrorPage({
          title: 'Refused',
          message: 'The form was stale; reload the page and try again.',
          viewer: null,
        }),
        403,
      );
    }
    const key = typeof form['adminKey'] === 'string' ? form['adminKey'].trim() : '';
    const verified = key && key.length <= 512 ? await data.verifyAdminKey(key) : null;
    if (!verified) {
      const viewer = existing ? await viewerOf(existing) : null;
      return html(
        c,
        renderSignInPage({ error: 'That key is not the admin key of any site.', viewer, next: safeNext(form['next']) }),
        401,
      );
    }
    const { site, keyId } = verified;
    if (existing) await sessions.revoke(existing);
    // Sites of the live session keep their keys; sites from a token without key ids are dropped.
    const kept = (existing?.siteIds ?? [])
      .map((id, index) => ({ id, keyId: existing?.keyIds[index] }))
      .filter((grant): grant is { id: string; keyId: string } => grant.id !== site.id && grant.keyId !== undefined);
    const grants = [{ id: site.id, keyId }, ...kept].slice(0, MAX_SITES);
    const { token } = await sessions.issue(
      grants.map((grant) => grant.id),
      grants.map((grant) => grant.keyId),
    );
    setCookie(c, SESSION_COOKIE, token, {
      path: BASE,
      httpOnly: true,
      sameSite: 'Strict',
      secure: secure(c),
      maxAge: Math.floor(sessions.ttlMs / 1000),
    });
    // Back to the page that asked for a session (an alert's link, say), else the new site's report.
    return c.redirect(safeNext(form['next']) ?? reportUrl(site.id), 303);
  });

  // Everything below needs a session.
  app.use(
    '*',
    createMiddleware<Env>(async function requireSession(c, next) {
      const session = await currentSession(c);
      if (!session) {
        if (c.req.method === 'GET' || c.req.method === 'HEAD') {
          const { pathname, search } = new URL(c.req.url);
          return c.redirect(signInUrl(safeNext(pathname + search)), 303);
        }
        return html(
          c,
          renderErrorPage({ title: 'Signed out', message: 'Your session ended; sign in again.', viewer: null }),
          401,
        );
      }
      c.set('session', session);
      c.set('viewer', await viewerOf(session));
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        const form = await c.req.parseBody();
        if (!(await sessions.checkCsrf(session, form['csrf']))) {
          return html(
            c,
            renderErrorPage({
              title: 'Refused',
              message: 'The form was stale; reload the page and try again.',
              viewer: c.get('viewer'),
            }),
            403,
          );
        }
      }
      await next();
    }),
  );

  app.post('/sign-out', async function signOut(c) {
    await sessions.revoke(c.get('session'));
    deleteCookie(c, SESSION_COOKIE, { path: BASE, secure: secure(c), httpOnly: true, sameSite: 'Strict' });
    return c.redirect(`${BASE}/sign-in`, 303);
  });
}
