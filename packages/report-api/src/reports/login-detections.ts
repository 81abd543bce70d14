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
  const sorted = [...attempts].sort((a, b) => a.ts - b.ts);
  const failures = sorted.filter((a) => a.outcome === 'failed');
  const out: Detection[] = [];
  const { bruteForce, stuffing, spraying, compromised } = limits;
  // Brute force: failures from one client for one account (an unknown account counts as one account).
  for (const group of groupBy(failures, (a) => `${a.ip} ${a.account ?? ''}`).values()) {
    const { ip, account } = group[0]!;
    const peak = peakDistinct(
      group,
      (a) => a.ts,
      (_a, i) => String(i),
      bruteForce.windowMs,
    );
    if (peak.count < bruteForce.limit) continue;
    const evidence = `${peak.count} failed logins for one account within ${minutes(bruteForce.windowMs)} min`;
    out.push({ kind: 'brute-force', ip, account, ...peak, evidence: `${evidence}, from ${at(peak.first)}` });
  }
  for (const [ip, group] of groupBy(failures, (a) => (a.account === null ? null : a.ip))) {
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
  for (const [account, group] of groupBy(failures, (a) => a.account)) {
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
  for (const [account, group] of groupBy(sorted, (a) => a.account)) {
    let failed: number[] = [];
    for (const a of group) {
      failed = failed.filter((ts) => a.ts - ts < compromised.windowMs);
      if (a.outcome === 'failed') failed.push(a.ts);
      else if (failed.length >= compromised.limit) {
        const evidence = `success at ${at(a.ts)} after ${failed.length} failed logins`;
        out.push({
          kind: 'compromised',
          ip: a.ip,
          account,
          count: failed.length,
          first: failed[0]!,
          last: a.ts,
          evidence,
        });
        break;
      }
    }
  }
  return out;
}
