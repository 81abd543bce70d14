import { Hono, type Context } from 'hono';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError } from '../http/errors.js';
import { answerJsonOrCsv } from '../http/tables.js';
import { localDateAt, parseLocalDate } from '../time/days.js';
import { ownSite } from '../sites/own-site.js';
import { createDrillDowns } from './drilldown.js';
import { checkBotName, checkCountry, checkIp, checkPath, type Checked } from './params.js';
import { siteRef } from './types.js';

/**
 * The dashboard's drill-downs for machines (admin key of the site), the same numbers as the pages:
 * `GET /v1/sites/:id/ip?ip=&date=`, `/country?code=&date=` (`unknown` for none), `/path?path=&date=`,
 * `/bot?name=&date=`.
 * `date` is a site-local day, today by default. Any of their tables as CSV with `Accept: text/csv`
 * and `?table=` (e.g. `paths`).
 *
 * @example
 * app.route('/v1/sites', drillDownRoutes(deps));
 */
export function drillDownRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  const drillDowns = createDrillDowns(deps.store, { now: deps.now });

  function dateOf(c: Context<AppEnv>, timeZone: string): string {
    const text = c.req.query('date');
    if (text === undefined || text === '') return localDateAt(deps.now(), timeZone);
    const parsed = parseLocalDate(text);
    if (!parsed.ok) throw apiError(400, 'invalid date', [{ path: 'date', message: parsed.message }]);
    return parsed.date;
  }
  function valueOf<T>(field: string, checked: Checked<T>): T {
    if (!checked.ok) throw apiError(400, `invalid ${field}`, [{ path: field, message: checked.message }]);
    return checked.value;
  }
  const admin = requireKey(deps.store, ['admin']);

  app.get('/:id/ip', admin, async function ipDrillDown(c) {
    const site = siteRef(ownSite(c));
    const ip = valueOf('ip', checkIp(c.req.query('ip')));
    const date = dateOf(c, site.timeZone);
    return answerJsonOrCsv(c, await drillDowns.ipDetail(site, ip, date), `ip-${date}`);
  });
  app.get('/:id/country', admin, async function countryDrillDown(c) {
    const site = siteRef(ownSite(c));
    const country = valueOf('code', checkCountry(c.req.query('code')));
    const date = dateOf(c, site.timeZone);
    return answerJsonOrCsv(c, await drillDowns.countryDetail(site, country, date), `country-${date}`);
  });
  app.get('/:id/path', admin, async function pathDrillDown(c) {
    const site = siteRef(ownSite(c));
    const path = valueOf('path', checkPath(c.req.query('path')));
    const date = dateOf(c, site.timeZone);
    return answerJsonOrCsv(c, await drillDowns.pathDetail(site, path, date), `path-${date}`);
  });
  app.get('/:id/bot', admin, async function botDrillDown(c) {
    const site = siteRef(ownSite(c));
    const name = valueOf('name', checkBotName(c.req.query('name')));
    const date = dateOf(c, site.timeZone);
    return answerJsonOrCsv(c, await drillDowns.botDetail(site, name, date), `bot-${date}`);
  });
  return app;
}
