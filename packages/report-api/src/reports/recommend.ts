import { CLAIMED_CRAWLERS, classifyUserAgent, createIpMatcher, type IpMatcher } from '@watchpost/middleware';
import type { DimensionRow, IpErrorPeak, Site, Store } from '../db/store.js';
import { localTime } from '../time/days.js';
import type { BotActivitySection, DailyReport, LoginsSection, RateLimitedSection, Recommendation } from './types.js';

type Kind = Recommendation['kinds'][number];

/** Inputs of `recommend` computed by the report builder. */
export interface RecommendContext {
  date: string;
  from: number;
  to: number;
  /** IPs' worst 30 s inside the day's error bursts (`RollupStore.ipErrorPeaks`); an IP may come more than once. */
  ipBursts: IpErrorPeak[];
  ipBurstThreshold: number;
  now: number;
  /** An IP with at least this many requests, most of them 4xx, is flagged `high-4xx`. */
  minRequestsFor4xx?: number;
  /** Share of 4xx that counts as high. */
  high4xxShare?: number;
  /** An IP blocked at least this many times is flagged `blocked-often`. */
  blockedOften?: number;
  limit?: number;
  /** The day's rate-limited clients and login detections, when built: both are evidence. */
  rateLimited?: RateLimitedSection;
  logins?: LoginsSection;
  /** Clients that claimed a crawler from outside its published addresses (the report's bot section). */
  impersonators?: BotActivitySection['impersonators']['clients'];
}

interface Candidate {
  ip: string;
  row: DimensionRow | undefined;
  kinds: Set<Kind>;
  reasons: string[];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;

/**
 * IPs to put on the deny list, each with its evidence, and clients answered 5xx whose behaviour
 * deserved a 403. Reads rollups; raw events only for the paths a candidate probed.
 *
 * @example
 * const options = { date, from, to, ipBursts: [], ipBurstThreshold: 50, now: Date.now() };
 * const { recommendations } = await recommend(store, site, options);
 */
export async function recommend(
  store: Store,
  site: Site,
  {
    date,
    from,
    to,
    ipBursts,
    ipBurstThreshold,
    now,
    minRequestsFor4xx = 20,
    high4xxShare = 0.5,
    blockedOften = 50,
    limit = 25,
    rateLimited,
    logins,
    impersonators = [],
  }: RecommendContext,
): Promise<Pick<DailyReport, 'recommendations' | 'suspicious5xx'>> {
  const id = site.id;
  const candidates = new Map<string, Candidate>();
  const candidate = (ip: string, row?: DimensionRow) => {
    let c = candidates.get(ip);
    if (!c) candidates.set(ip, (c = { ip, row, kinds: new Set(), reasons: [] }));
    c.row ??= row;
    return c;
  };

  // Worst first, so an IP's evidence is its worst 30 s of the day.
  for (const { ip, errors, start } of [...ipBursts].sort((a, b) => b.errors - a.errors || a.start - b.start)) {
    if (errors < ipBurstThreshold) continue;
    const c = candidate(ip);
    if (!c.kinds.has('burst'))
      c.reasons.push(`burst of ${fmt(errors)} 4xx/5xx in 30 s at ${localTime(start, site.timeZone)}`);
    c.kinds.add('burst');
  }
  // One pass over the day's IP rows picks every IP with any kind of evidence.
  const suspects = await store.topDimension(id, date, 'ip', {
    orderBy: 'requests',
    limit: 5000,
    // 5xx alone is no evidence (the server failed), so it does not select a row here.
    anyAtLeast: { probes: 1, scanner: 1, s4xx: minRequestsFor4xx * high4xxShare, blocked: blockedOften },
  });
  const top = (counter: 'probes' | 'scanner' | 's4xx' | 's5xx' | 'blocked', min: number, n: number) =>
    suspects
      .filter((row) => row[counter] >= min)
      .sort((a, b) => b[counter] - a[counter] || a.key.localeCompare(b.key))
      .slice(0, n);
  const probers = top('probes', 1, 200);
  const scanners = top('scanner', 1, 200);
  const errors4xx = top('s4xx', minRequestsFor4xx * high4xxShare, 500);
  const blocked = top('blocked', blockedOften, 200);
  for (const [rank, row] of probers.entries()) {
    const c = candidate(row.key, row);
    c.kinds.add('probe');
    // Name the probed paths for the worst few only: each costs an indexed look-up of raw events.
    const probed = rank < 25 ? await store.probedPaths(id, { from, to, ip: row.key, limit: 3 }) : [];
    c.reasons.push(`probed sensitive paths ${fmt(row.probes)} times${probed.length ? ` (${probed.join(', ')})` : ''}`);
  }
  for (const row of scanners) {
    const c = candidate(row.key, row);
    c.kinds.add('scanner');
    c.reasons.push(`scanner user agent on ${fmt(row.scanner)} requests`);
  }
  for (const row of errors4xx) {
    if (row.requests < minRequestsFor4xx || row.s4xx / row.requests < high4xxShare) continue;
    const c = candidate(row.key, row);
    c.kinds.add('high-4xx');
    c.reasons.push(`${fmt(row.s4xx)} of ${fmt(row.requests)} requests (${pct(row.s4xx, row.requests)}) answered 4xx`);
  }
  for (const row of blocked) {
    const c = candidate(row.key, row);
    c.kinds.add('blocked-often');
    c.reasons.push(`blocked ${fmt(row.blocked)} times`);
  }

  for (const client of rateLimited?.clients ?? []) {
    if (client.refused < 1) continue;
    const c = candidate(client.ip);
    c.kinds.add('rate-limited');
    c.reasons.push(
      `refused ${fmt(client.refused)} times by rate rules (${client.rules.join(', ')}), ` +
        `peak ${fmt(client.peakPerMinute)} requests/min`,
    );
  }
  for (const detection of logins?.detections ?? []) {
    if (detection.ip === null) continue;
    const c = candidate(detection.ip);
    c.kinds.add('login-attack');
    c.reasons.push(`login ${detection.kind}: ${detection.evidence}`);
  }

  for (const client of impersonators) {
    // Reverse DNS showed a real crawler on a range not yet published: no evidence against it.
    if (client.rdns?.state === 'verified') continue;
    const c = candidate(client.ip);
    c.kinds.add('impersonator');
    // Named only when the bot table names a crawler that publishes its addresses: never the client's text.
    const claimed = classifyUserAgent(client.ua).name;
    const name = claimed !== null && CLAIMED_CRAWLERS.has(claimed) ? claimed : 'a verified crawler';
    c.reasons.push(`claimed to be ${name} from outside its published addresses (${fmt(client.requests)} requests)`);
  }

  // Burst-only IPs have no row yet: fetch theirs so every candidate carries its counters.
  const missing = [...candidates.values()].filter((c) => !c.row).map((c) => c.ip);
  for (const row of await store.getDimensionRows(id, date, 'ip', missing)) {
    const c = candidates.get(row.key);
    if (c) c.row = row;
  }

  // A 5xx is suspicious when the same client also showed abusive behaviour: a 403 would have been cheaper.
  const suspicious5xx: DailyReport['suspicious5xx'] = [];
  const answered5xx = [...candidates.values()]
    .filter((c) => (c.row?.s5xx ?? 0) >= 1)
    .sort((a, b) => b.row!.s5xx - a.row!.s5xx || a.ip.localeCompare(b.ip));
  for (const c of answered5xx) {
    const errors5xx = c.row!.s5xx;
    suspicious5xx.push({ ip: c.ip, errors5xx: Math.round(errors5xx), reasons: [...c.reasons] });
    c.kinds.add('suspicious-5xx');
    c.reasons.push(`answered 5xx ${fmt(errors5xx)} times while abusive (a 403 would have been cheaper)`);
  }

  const denied = createDeniedMatcher((await store.listDenyEntries(id, now)).map((e) => e.value));
  const recommendations: Recommendation[] = [...candidates.values()]
    .filter((c) => !(c.kinds.size === 1 && c.kinds.has('blocked-often') && isDenied(denied, c.ip)))
    .map((c) => ({
      ip: c.ip,
      country: c.row?.extra ?? null,
      reasons: c.reasons,
      kinds: [...c.kinds],
      requests: Math.round(c.row?.requests ?? 0),
      denied: isDenied(denied, c.ip),
    }))
    .sort((a, b) => b.kinds.length - a.kinds.length || b.requests - a.requests || a.ip.localeCompare(b.ip))
    .slice(0, limit);
  return { recommendations, suspicious5xx: suspicious5xx.slice(0, limit) };
}

function createDeniedMatcher(values: string[]): IpMatcher {
  try {
    return createIpMatcher(values);
  } catch {
    // A stored value the matcher refuses (written before validation tightened) must not break the report.
    return createIpMatcher(
      values.filter((value) => {
        try {
          createIpMatcher([value]);
          return true;
        } catch {
          return false;
        }
      }),
    );
  }
}

function isDenied(list: IpMatcher, ip: string): boolean {
  return list.match(ip) !== null;
}
