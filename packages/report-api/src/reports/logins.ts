import type { KindEvent, Store } from '../db/store.js';
import { MAX_KIND_LIST } from '../db/store.js';
import { loginDetections, type LoginAttempt } from './login-detections.js';
import type { LoginsSection, RateLimitedSection } from './types.js';

const HOUR = 3_600_000;
/** Rows kept in each list of the two sections. */
const TOP = 20;
/** Rate-limited clients whose peak rate is looked up in their own events. */
const PEAK_CLIENTS = 20;
/** Rate-limited clients listed in the section (the refused most); its totals count every one. */
export const MAX_RATE_LIMITED_CLIENTS = 200;

const weight = (e: Pick<KindEvent, 'sampleRate'>) => 1 / e.sampleRate;
const round = (n: number) => Math.round(n);

/**
 * The `logins` section of a day: attempts and failures (sample-weighted; login events are always
 * kept), per hour, per client, country and hashed account, and the detections with their evidence.
 * Reads at most `MAX_KIND_LIST` login events of the day.
 *
 * @example
 * const logins = await buildLoginsSection(store, site.id, { from, to });
 */
export async function buildLoginsSection(
  store: Pick<Store, 'listKind'>,
  siteId: string,
  { from, to, timeZone = 'UTC' }: { from: number; to: number; timeZone?: string },
): Promise<LoginsSection> {
  const events = await store.listKind(siteId, { from, to, kind: 'login', limit: MAX_KIND_LIST });
  const byHour = Array.from({ length: Math.ceil((to - from) / HOUR) }, (_, i) => ({
    start: from + i * HOUR,
    attempts: 0,
    failures: 0,
  }));
  // Distinct accounts per client and clients per account are counted afterwards for the top rows
  // only: a Set for each of a day's clients (63,000 at 10M events) cost more than the rest together.
  const clients = new Map<string, { country: string | null; attempts: number; failures: number }>();
  const countries = new Map<string | null, { attempts: number; failures: number }>();
  const accounts = new Map<string, { failures: number }>();
  let attempts = 0;
  let failures = 0;
  const tried: LoginAttempt[] = [];
  for (const e of events) {
    const login = e.login;
    if (login == null) continue;
    tried.push({ ts: e.ts, ip: e.ip, outcome: login.outcome, account: login.account });
    const w = weight(e);
    const failed = login.outcome === 'failed' ? w : 0;
    attempts += w;
    failures += failed;
    const hour = byHour[Math.floor((e.ts - from) / HOUR)];
    if (hour) {
      hour.attempts += w;
      hour.failures += failed;
    }
    let client = clients.get(e.ip);
    if (!client) clients.set(e.ip, (client = { country: e.country, attempts: 0, failures: 0 }));
    client.attempts += w;
    client.failures += failed;
    let country = countries.get(e.country);
    if (!country) countries.set(e.country, (country = { attempts: 0, failures: 0 }));
    country.attempts += w;
    country.failures += failed;
    if (login.account !== null) {
      let account = accounts.get(login.account);
      if (!account) accounts.set(login.account, (account = { failures: 0 }));
      account.failures += failed;
    }
  }
  const detections = loginDetections(tried, undefined, timeZone);
  const byFailures = <T extends { failures: number }>(a: [unknown, T], b: [unknown, T]) =>
    b[1].failures - a[1].failures;
  const topClients = [...clients].sort(byFailures).slice(0, TOP);
  const topAccounts = [...accounts].sort(byFailures).slice(0, TOP);
  const accountsOf = new Map(topClients.map(([ip]) => [ip, new Set<string>()]));
  const clientsOf = new Map(topAccounts.map(([account]) => [account, new Set<string>()]));
  for (const { ip, account } of tried) {
    if (account === null) continue;
    accountsOf.get(ip)?.add(account);
    clientsOf.get(account)?.add(ip);
  }
  return {
    attempts: round(attempts),
    failures: round(failures),
    successRate: attempts === 0 ? null : Math.round(((attempts - failures) / attempts) * 10_000) / 10_000,
    byHour: byHour.map((h) => ({ start: h.start, attempts: round(h.attempts), failures: round(h.failures) })),
    topClients: topClients.map(([ip, c]) => ({
      ip,
      country: c.country,
      attempts: round(c.attempts),
      failures: round(c.failures),
      accounts: accountsOf.get(ip)?.size ?? 0,
    })),
    topCountries: [...countries]
      .sort(byFailures)
      .slice(0, TOP)
      .map(([country, c]) => ({ country, attempts: round(c.attempts), failures: round(c.failures) })),
    accounts: {
      distinct: accounts.size,
      top: topAccounts.map(([account, a]) => ({
        account,
        failures: round(a.failures),
        clients: clientsOf.get(account)?.size ?? 0,
      })),
    },
    detections,
  };
}

/**
 * The `rateLimited` section of a day: the `MAX_RATE_LIMITED_CLIENTS` clients refused most by a rate
 * rule (`rate:<name>`), then counted most, each with its rules, refusals, first and last refusal
 * (grouped by the store from the rate rules' covering index), and its peak requests in one minute
 * (from all its raw events, sample-weighted; looked up for the `PEAK_CLIENTS` refused most); the
 * totals count every client.
 *
 * @example
 * const rateLimited = await buildRateLimitedSection(store, site.id, { from, to });
 */
export async function buildRateLimitedSection(
  store: Pick<Store, 'rateLimitedClients' | 'peakMinute'>,
  siteId: string,
  { from, to }: { from: number; to: number },
): Promise<RateLimitedSection> {
  const { clients, totals } = await store.rateLimitedClients(siteId, { from, to, limit: MAX_RATE_LIMITED_CLIENTS });
  const peaks = await Promise.all(
    clients
      .slice(0, PEAK_CLIENTS)
      .map(async (c) => (await store.peakMinute(siteId, { from, to, ip: c.ip }))?.requests ?? 0),
  );
  return {
    clients: clients.map((c, i) => ({
      ...c,
      refused: round(c.refused),
      counted: round(c.counted),
      peakPerMinute: round(peaks[i] ?? 0),
    })),
    totals: { clients: totals.clients, refused: round(totals.refused), counted: round(totals.counted) },
  };
}
