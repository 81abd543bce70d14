/**
 * The report's threat-list section: the site's lists (`--format iplist`) and the day's clients they
 * name, with their traffic. Matching uses the middleware's IP matcher, so a CIDR entry matches every
 * address inside it.
 */
import { createIpMatcher } from '@watchpost/middleware';
import type { Store } from '../db/store.js';
import type { IntelSection } from './types.js';

/** Clients of the day checked against the lists: the busiest, by requests. */
const CLIENTS_CHECKED = 10_000;

/**
 * Builds the section; undefined when the site has no list.
 *
 * @example
 * const intel = await buildIntelSection(store, site.id, { date, top: 10 });
 */
export async function buildIntelSection(
  store: Store,
  siteId: string,
  { date, top }: { date: string; top: number },
): Promise<IntelSection | undefined> {
  const sources = await store.intelSources(siteId);
  if (sources.length === 0) return undefined;
  const entries = await store.listIntel(siteId);
  const bySource = new Map<string, string[]>();
  for (const entry of entries) bySource.set(entry.source, [...(bySource.get(entry.source) ?? []), entry.value]);
  const matchers = [...bySource].map(([source, values]) => ({
    source,
    matcher: createIpMatcher(values.map((value) => ({ value }))),
  }));
  const clients = await store.topDimension(siteId, date, 'ip', { orderBy: 'requests', limit: CLIENTS_CHECKED });
  const matches = clients
    .map((row) => ({
      ip: row.key,
      sources: matchers.filter(({ matcher }) => matcher.match(row.key) !== null).map(({ source }) => source),
      requests: Math.round(row.requests),
      blocked: Math.round(row.blocked),
    }))
    .filter((match) => match.sources.length > 0);
  return { sources, clients: matches.length, matches: matches.slice(0, Math.max(top, 100)) };
}
