/**
 * The report's bot section beyond the category counts: bots by name (from the day's rollups), AI
 * crawlers, agents and assistants on their own (which user agents, how much, blocked or not),
 * impersonators with the addresses they came from, and who fetched robots.txt. Raw events are read
 * only when the day's rollups show the category or the path at all.
 */
import { CLAIMED_CRAWLERS } from '@watchpost/middleware';
import type { DimensionRow, Store } from '../db/store.js';
import type { CrawlerVerifier } from '../verify/reverse-dns.js';
import type { BotActivitySection } from './types.js';

/** Categories of AI traffic (training crawlers, AI search, agents and assistants). */
export const AI_CATEGORIES = ['ai-crawler', 'ai-search', 'ai-agent', 'ai-assistant'] as const;
const UA_ROWS = 2000;

/**
 * Builds the section; undefined on a day without AI traffic, impersonators or robots.txt fetches.
 *
 * @example
 * const botActivity = await buildBotActivitySection(store, site.id, { date, from, to, top: 10 });
 */
export async function buildBotActivitySection(
  store: Store,
  siteId: string,
  {
    date,
    from,
    to,
    top,
    verifyCrawler,
  }: { date: string; from: number; to: number; top: number; verifyCrawler?: CrawlerVerifier },
): Promise<BotActivitySection | undefined> {
  const [categories, robots, names, claims] = await Promise.all([
    store.getDimensionRows(siteId, date, 'bot', [...AI_CATEGORIES, 'impersonator']),
    store.getDimensionRows(siteId, date, 'path', ['/robots.txt']),
    store.topDimension(siteId, date, 'botname', { orderBy: 'requests', limit: top }),
    store.topDimension(siteId, date, 'botclaim', { orderBy: 'requests', limit: top }),
  ]);
  const ai = categories.filter((row) => (AI_CATEGORIES as readonly string[]).includes(row.key));
  const impersonator = categories.find((row) => row.key === 'impersonator');
  const fetches = robots[0]?.requests ?? 0;
  if (ai.length === 0 && !impersonator && fetches === 0 && names.length === 0 && claims.length === 0) return undefined;
  const aiUas =
    ai.length === 0
      ? []
      : (await store.topDimension(siteId, date, 'ua', { orderBy: 'requests', limit: UA_ROWS }))
          .filter((row) => row.extra !== null && (AI_CATEGORIES as readonly string[]).includes(row.extra))
          .slice(0, top);
  return {
    ai: {
      requests: Math.round(ai.reduce((sum, row) => sum + row.requests, 0)),
      blocked: Math.round(ai.reduce((sum, row) => sum + row.blocked, 0)),
      byCategory: ai.map((row) => ({
        category: row.key,
        requests: Math.round(row.requests),
        blocked: Math.round(row.blocked),
      })),
      userAgents: aiUas.map((row) => ({
        ua: row.key,
        category: row.extra ?? '',
        requests: Math.round(row.requests),
        blocked: Math.round(row.blocked),
      })),
    },
    impersonators: {
      requests: Math.round(impersonator?.requests ?? 0),
      clients: impersonator
        ? await Promise.all(
            (await store.categoryClients(siteId, 'impersonator', from, to, top)).map(async (client) => ({
              ...client,
              rdns: verifyCrawler ? await verifyCrawler(client.ip, client.ua) : null,
            })),
          )
        : [],
    },
    robotsTxt: {
      fetches: Math.round(fetches),
      fetchers: fetches > 0 ? await store.pathFetchers(siteId, '/robots.txt', from, to, top) : [],
    },
    byName: botsByName(names, claims, top),
  };
}

/**
 * Bots by name: each name's own traffic and, under the same name, the impersonators' that claimed
 * it; a name seen only from impersonators has the category `impersonator`. `checked` says whether
 * the name's operator publishes its addresses (then every claim was checked against them). Busiest
 * names first, at most `top`.
 */
function botsByName(names: readonly DimensionRow[], claims: readonly DimensionRow[], top: number) {
  const rows = new Map<string, BotActivitySection['byName'][number]>();
  const row = (name: string) => {
    let found = rows.get(name);
    if (found === undefined) {
      found = {
        name,
        category: 'impersonator',
        requests: 0,
        blocked: 0,
        checked: CLAIMED_CRAWLERS.has(name),
        impersonated: { requests: 0, blocked: 0 },
      };
      rows.set(name, found);
    }
    return found;
  };
  for (const own of names) {
    Object.assign(row(own.key), {
      category: own.extra ?? 'other-bot',
      requests: Math.round(own.requests),
      blocked: Math.round(own.blocked),
    });
  }
  for (const claim of claims) {
    row(claim.key).impersonated = { requests: Math.round(claim.requests), blocked: Math.round(claim.blocked) };
  }
  const total = (r: BotActivitySection['byName'][number]) => r.requests + r.impersonated.requests;
  return [...rows.values()].sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name)).slice(0, top);
}
