/**
 * Two questions the report asks of raw events about bots, written once over the `Executor`: which
 * clients a category came from (impersonators: a crawler's name from outside its published ranges)
 * and who fetched a path (robots.txt). Both read one local day.
 */
import type { Executor } from './executor.js';

export interface BotActivityStore {
  /** Clients of one bot category in `[from, to)`, most requests first (sample-weighted). */
  categoryClients(
    siteId: string,
    category: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<Array<{ ip: string; country: string | null; ua: string; requests: number; blocked: number }>>;
  /** User agents that requested `path` in `[from, to)`, most requests first. */
  pathFetchers(
    siteId: string,
    path: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<Array<{ ua: string; botCategory: string | null; requests: number }>>;
}

/**
 * The `BotActivityStore` of a database (table `events`).
 *
 * @example
 * await botActivityOn(sqliteExecutor(db)).categoryClients(siteId, 'impersonator', from, to, 20);
 */
export function botActivityOn(db: Executor): BotActivityStore {
  return {
    async categoryClients(siteId, category, from, to, limit) {
      const rows = await db.all<{ ip: string; country: string | null; ua: string; requests: number; blocked: number }>(
        `SELECT ip, max(country) AS country, min(ua) AS ua, sum(1.0 / sample_rate) AS requests,
         sum(CASE WHEN action = 'block' THEN 1.0 / sample_rate ELSE 0 END) AS blocked
         FROM events WHERE site_id = $1 AND ts >= $2 AND ts < $3 AND bot_category = $4
         GROUP BY ip ORDER BY requests DESC, ip${db.binary} LIMIT $5`,
        [siteId, from, to, category, limit],
      );
      return rows.map((r) => ({
        ...r,
        requests: Math.round(Number(r.requests)),
        blocked: Math.round(Number(r.blocked)),
      }));
    },
    async pathFetchers(siteId, path, from, to, limit) {
      const rows = await db.all<{ ua: string; botCategory: string | null; requests: number }>(
        `SELECT ua, max(bot_category) AS "botCategory", sum(1.0 / sample_rate) AS requests
         FROM events WHERE site_id = $1 AND path = $2 AND ts >= $3 AND ts < $4
         GROUP BY ua ORDER BY requests DESC, ua${db.binary} LIMIT $5`,
        [siteId, path, from, to, limit],
      );
      return rows.map((r) => ({ ...r, requests: Math.round(Number(r.requests)) }));
    },
  };
}
