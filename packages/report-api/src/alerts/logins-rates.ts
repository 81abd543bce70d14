import type { Site, Store } from '../db/store.js';
import { loginDetections } from '../reports/login-detections.js';
import type { IncidentKind } from './incident.js';

/** What `detectLoginAndRateIncidents` reads. */
export type LoginRateStore = Pick<Store, 'listKind'>;

/** One incident to raise: its kind, key (a client or an account) and plain-text evidence. */
export interface LoginRateIncident {
  kind: Extract<IncidentKind, `login-${string}` | 'rate-limited'>;
  key: string;
  title: string;
  lines: string[];
}

/** How far back login attempts are read: the longest detection window (success after failures, 1 h). */
const LOGIN_LOOK_BACK_MS = 3_600_000;
/** Rate-rule refusals in the last 5 minutes keep a rate-limited incident open. */
const RATE_LOOK_BACK_MS = 300_000;
/** Most rate-limited clients raised per tick (the rest are in the report). */
const MAX_RATE_CLIENTS = 20;

/**
 * The login attacks and rate-limited clients of the last hour (logins) and 5 minutes (rate rules)
 * of a site, from stored events: the same detections as the daily report, found within a tick of
 * the events arriving. Each becomes an incident keyed by client (or account for spraying).
 *
 * @example
 * for (const i of await detectLoginAndRateIncidents(store, site, Date.now())) console.log(i.title);
 */
export async function detectLoginAndRateIncidents(
  store: LoginRateStore,
  site: Site,
  at: number,
): Promise<LoginRateIncident[]> {
  const out: LoginRateIncident[] = [];
  const logins = await store.listKind(site.id, {
    from: at - LOGIN_LOOK_BACK_MS,
    to: at + 1,
    kind: 'login',
    limit: 200_000,
  });
  const attempts = logins.flatMap((e) =>
    e.login ? [{ ts: e.ts, ip: e.ip, outcome: e.login.outcome, account: e.login.account }] : [],
  );
  for (const d of loginDetections(attempts, undefined, site.timeZone)) {
    const who = d.ip ?? `account ${d.account?.slice(0, 12) ?? 'unknown'}`;
    out.push({
      kind: `login-${d.kind}`,
      key: d.ip ?? `account:${d.account ?? ''}`,
      title: `Login ${d.kind.replace('-', ' ')} from ${who}`,
      lines: [
        d.evidence,
        `${d.count} events from ${new Date(d.first).toISOString()} to ${new Date(d.last).toISOString()}.`,
      ],
    });
  }
  const rated = await store.listKind(site.id, {
    from: at - RATE_LOOK_BACK_MS,
    to: at + 1,
    kind: 'rate',
    limit: 200_000,
  });
  const clients = new Map<string, { refused: number; rules: Set<string> }>();
  for (const e of rated) {
    if (e.action !== 'block' || e.rule === null) continue;
    let c = clients.get(e.ip);
    if (!c) clients.set(e.ip, (c = { refused: 0, rules: new Set() }));
    c.refused += 1 / e.sampleRate;
    c.rules.add(e.rule.slice('rate:'.length));
  }
  const worst = [...clients].sort((a, b) => b[1].refused - a[1].refused).slice(0, MAX_RATE_CLIENTS);
  for (const [ip, c] of worst) {
    out.push({
      kind: 'rate-limited',
      key: ip,
      title: `Rate-limited: ${ip} refused ${Math.round(c.refused)} times in 5 min`,
      lines: [`Rules: ${[...c.rules].sort().join(', ')}.`],
    });
  }
  return out;
}
