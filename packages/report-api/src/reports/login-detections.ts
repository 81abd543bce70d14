import { localTime } from '../time/days.js';
import type { LoginsSection } from './types.js';

/** A stored event's login facts, as the report needs them. */
export interface LoginAttempt {
  ts: number;
  ip: string;
  outcome: 'success' | 'failed';
  /** 32-hex HMAC of the account, or null when unknown. */
  account: string | null;
}

/** Default thresholds, the same as the middleware engine's. Count reaching `limit` fires. */
export const LOGIN_DETECTION_DEFAULTS = {
  bruteForce: { limit: 10, windowMs: 5 * 60_000 },
  stuffing: { limit: 5, windowMs: 10 * 60_000 },
  spraying: { limit: 20, windowMs: 10 * 60_000 },
  compromised: { limit: 5, windowMs: 60 * 60_000 },
} as const;

type Detection = LoginsSection['detections'][number];

/** Most distinct `value`s seen within any `windowMs` of the (ts-sorted) items, and where that maximum was. */
function peakDistinct<T>(
  items: readonly T[],
  ts: (x: T) => number,
  value: (x: T, i: number) => string,
  windowMs: number,
) {
  const held = new Map<string, number>();
  let start = 0;
  let best = { count: 0, first: 0, last: 0 };
  for (let end = 0; end < items.length; end++) {
    const v = value(items[end]!, end);
    held.set(v, (held.get(v) ?? 0) + 1);
    while (ts(items[end]!) - ts(items[start]!) >= windowMs) {
      const old = value(items[start]!, start);
      const n = held.get(old)! - 1;
      if (n === 0) held.delete(old);
      else held.set(old, n);
      start++;
    }
    if (held.size > best.count) best = { count: held.size, first: ts(items[start]!), last: ts(items[end]!) };
  }
  return best;
}

/** Most items within any `windowMs` of the (ts-sorted) items, and where that maximum was. */
function peakCount(items: readonly { ts: number }[], windowMs: number) {
  let start = 0;
  let best = { count: 0, first: 0, last: 0 };
  for (let end = 0; end < items.length; end++) {
    const last = items[end]!.ts;
    while (last - items[start]!.ts >= windowMs) start++;
    if (end - start + 1 > best.count) best = { count: end - start + 1, first: items[start]!.ts, last };
  }
  return best;
}

function groupBy<T>(items: readonly T[], key: (x: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(x);
    else groups.set(k, [x]);
  }
  return groups;
}

function isNewestFirst(attempts: readonly LoginAttempt[]): boolean {
  for (let i = 1; i < attempts.length; i++) if (attempts[i]!.ts > attempts[i - 1]!.ts) return false;
  return true;
}

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Login detections of one day from its attempts (any order): brute force, credential stuffing, password
 * spraying and success after many failures, one per client/account they concern, each with evidence
 * (times in `timeZone`, the site's, as everywhere else in a report; default UTC).
 *
 * @example
 * loginDetections(events.filter((e) => e.login).map((e) => ({ ts: e.ts, ip: e.ip, ...e.login! })));
 */
export function loginDetections(
  attempts: readonly LoginAttempt[],
  limits = LOGIN_DETECTION_DEFAULTS,
  timeZone = 'UTC',
): Detection[] {
  const at = (ms: number) => localTime(ms, timeZone) + (timeZone === 'UTC' ? ' UTC' : '');
  // Stores list attempts newest first: reversed, they are in order, and the sort only checks that.
  const sorted = isNewestFirst(attempts) ? attempts.toReversed() : [...attempts];
  sorted.sort((a, b) => a.ts - b.ts);
  const failures = sorted.filter((a) => a.outcome === 'failed');
  const out: Detection[] = [];
  const { bruteForce, stuffing, spraying, compromised } = limits;
  // Grouped once by client (failures) and once by account (all attempts), for the four detections.
  const byIp = groupBy(failures, (a) => a.ip);
  const byAccount = groupBy(sorted, (a) => a.account);
  // Brute force: failures from one client for one account (an unknown account counts as one account).
  for (const ofIp of byIp.values()) {
    // Most clients fail a few times: too few to group by account at all.
    if (ofIp.length < bruteForce.limit) continue;
    for (const group of groupBy(ofIp, (a) => a.account ?? '').values()) {
      const { ip, account } = group[0]!;
      const peak = peakCount(group, bruteForce.windowMs);
      if (peak.count < bruteForce.limit) continue;
      const evidence = `${peak.count} failed logins for one account within ${minutes(bruteForce.windowMs)} min`;
      out.push({ kind: 'brute-force', ip, account, ...peak, evidence: `${evidence}, from ${at(peak.first)}` });
    }
  }
  for (const [ip, ofIp] of byIp) {
    if (ofIp.length < stuffing.limit) continue;
    const group = ofIp.filter((a) => a.account !== null);
    if (group.length < stuffing.limit) continue;
    const peak = peakDistinct(
      group,
      (a) => a.ts,
      (a) => a.account!,
      stuffing.windowMs,
    );
    if (peak.count < stuffing.limit) continue;
    const within = minutes(stuffing.windowMs);
    const evidence = `${peak.count} accounts failed within ${within} min, from ${at(peak.first)}`;
    out.push({ kind: 'credential-stuffing', ip, account: null, ...peak, evidence });
  }
  for (const [account, attemptsOf] of byAccount) {
    const group = attemptsOf.filter((a) => a.outcome === 'failed');
    if (group.length < spraying.limit) continue;
    const peak = peakDistinct(
      group,
      (a) => a.ts,
      (a) => a.ip,
      spraying.windowMs,
    );
    if (peak.count < spraying.limit) continue;
    const evidence = `one account failed from ${peak.count} clients within ${minutes(spraying.windowMs)} min`;
    out.push({ kind: 'password-spraying', ip: null, account, ...peak, evidence });
  }
  for (const [account, group] of byAccount) {
    // The failures within the window before each attempt: `failed` from `oldest` on (time order).
    const failed: number[] = [];
    let oldest = 0;
    for (const a of group) {
      while (oldest < failed.length && a.ts - failed[oldest]! >= compromised.windowMs) oldest++;
      const count = failed.length - oldest;
      if (a.outcome === 'failed') failed.push(a.ts);
      else if (count >= compromised.limit) {
        const evidence = `success at ${at(a.ts)} after ${count} failed logins`;
        out.push({ kind: 'compromised', ip: a.ip, account, count, first: failed[oldest]!, last: a.ts, evidence });
        break;
      }
    }
  }
  return out;
}
