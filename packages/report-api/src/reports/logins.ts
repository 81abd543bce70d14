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
  const clients = new Map<
    string,
    { country: string | null; attempts: number; failures: number; accounts: Set<string> }
  >();
  const countries = new Map<string | null, { attempts: number; failures: number }>();
  const accounts = new Map<string, { failures: number; clients: Set<string> }>();
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
    if (!client) clients.set(e.ip, (client = { country: e.country, attempts: 0, failures: 0, accounts: new Set() }));
    client.attempts += w;
    client.failures += failed;
    let country = countries.get(e.country);
    if (!country) countries.set(e.country, (country = { attempts: 0, failures: 0 }));
    country.attempts += w;
    country.failures += failed;
    if (login.account !== null) {
      client.accounts.add(login.account);
      let account = accounts.get(login.account);
      if (!account) accounts.set(login.account, (account = { failures: 0, clients: new Set() }));
      account.failures += failed;
      account.clients.add(e.ip);
    }
  }
  const detections = loginDetections(tried, undefined, timeZone);
  const byFailures = <T extends { failures: number }>(a: [unknown, T], b: [unknown, T]) =>
    b[1].failures - a[1].failures;
  return {
    attempts: round(attempts),
    failures: round(failures),
    successRate: attempts === 0 ? null : Math.round(((attempts - failures) / attempts) * 10_000) / 10_000,
    byHour: byHour.map((h) => ({ start: h.start, attempts: round(h.attempts), failures: round(h.failures) })),
    topClients: [...clients]
      .sort(byFailures)
      .slice(0, TOP)
      .map(([ip, c]) => ({
        ip,
        country: c.country,
        attempts: round(c.attempts),
        failures: round(c.failures),
        accounts: c.accounts.size,
      })),
    topCountries: [...countries]
      .sort(byFailures)
      .slice(0, TOP)
      .map(([country, c]) => ({ country, attempts: round(c.attempts), failures: round(c.failures) })),
    accounts: {
      distinct: accounts.size,
      top: [...accounts]
        .sort(byFailures)
        .slice(0, TOP)
        .map(([account, a]) => ({ account, failures: round(a.failures), clients: a.clients.size })),
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
