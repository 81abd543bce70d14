import { Hono } from 'hono';
import { requireKey } from '../http/auth.js';
import type { AppEnv, ResolvedDeps } from '../http/env.js';
import { apiError } from '../http/errors.js';
import { answerJsonOrCsv } from '../http/tables.js';
import { buildDailyReport } from './build.js';
import { parseLocalDate } from '../time/days.js';

/**
 * `GET /v1/reports/daily?date=YYYY-MM-DD` (admin key): the daily report of the key's site as JSON, or
 * one of its tables as CSV (`Accept: text/csv`, `?table=topIps`).
 *
 * @example
 * app.route('/v1/reports', reportRoutes(deps));
 */
export function reportRoutes(deps: ResolvedDeps) {
  const app = new Hono<AppEnv>();
  app.get('/daily', requireKey(deps.store, ['admin']), async function dailyReport(c) {
    const date = c.req.query('date');
    if (date === undefined)
      throw apiError(400, 'missing query parameter date', [
        { path: 'date', message: 'add ?date=YYYY-MM-DD (a site-local day)' },
      ]);
    const parsed = parseLocalDate(date);
    if (!parsed.ok) throw apiError(400, 'invalid date', [{ path: 'date', message: parsed.message }]);
    const report = await buildDailyReport(deps.store, c.get('site'), parsed.date, {
      now: deps.now,
      ...(deps.verifyCrawler ? { verifyCrawler: deps.verifyCrawler } : {}),
    });
    return answerJsonOrCsv(c, report, `report-${parsed.date}`);
  });
  return app;
}
