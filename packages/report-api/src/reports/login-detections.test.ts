import { describe, expect, it } from 'vitest';
import { LOGIN_DETECTION_DEFAULTS, loginDetections, type LoginAttempt } from './login-detections.js';

const T = Date.UTC(2026, 2, 1, 10);
const acct = (n: number) => n.toString(16).padStart(32, '0');
const fail = (ts: number, ip: string, account: string | null): LoginAttempt => ({ ts, ip, outcome: 'failed', account });
const times = (n: number, f: (i: number) => LoginAttempt) => Array.from({ length: n }, (_, i) => f(i));

describe('loginDetections', () => {
  it('finds brute force at 10 failures in 5 min for one account from one client, not at 9', () => {
    const ten = times(10, (i) => fail(T + i * 20_000, '203.0.113.1', acct(1)));
    expect(loginDetections(ten)).toEqual([
      expect.objectContaining({ kind: 'brute-force', ip: '203.0.113.1', account: acct(1), count: 10, first: T }),
    ]);
    expect(loginDetections(ten.slice(1))).toEqual([]);
    // Ten failures spread over more than the window are not brute force.
    expect(loginDetections(times(10, (i) => fail(T + i * 40_000, '203.0.113.1', acct(1))))).toEqual([]);
  });

  it('counts failures without an account as one unknown account', () => {
    const found = loginDetections(times(10, (i) => fail(T + i, '203.0.113.1', null)));
    expect(found).toMatchObject([{ kind: 'brute-force', account: null, count: 10 }]);
  });

  it('finds credential stuffing at 5 distinct accounts from one client, not at 4', () => {
    const five = times(5, (i) => fail(T + i * 60_000, '203.0.113.2', acct(i)));
    expect(loginDetections(five)).toMatchObject([{ kind: 'credential-stuffing', ip: '203.0.113.2', count: 5 }]);
    expect(loginDetections(five.slice(1))).toEqual([]);
    const repeated = times(8, (i) => fail(T + i, '203.0.113.2', acct(i % 4)));
    expect(loginDetections(repeated)).toEqual([]);
  });

  it('finds password spraying at 20 clients failing one account, not at 19', () => {
    const twenty = times(20, (i) => fail(T + i * 1000, `198.51.100.${i}`, acct(7)));
    expect(loginDetections(twenty)).toMatchObject([
      { kind: 'password-spraying', ip: null, account: acct(7), count: 20 },
    ]);
    expect(loginDetections(twenty.slice(1))).toEqual([]);
  });

  it('finds a success after 5 failures for that account, not after 4', () => {
    const ok: LoginAttempt = { ts: T + 10_000, ip: '192.0.2.9', outcome: 'success', account: acct(3) };
    const five = times(5, (i) => fail(T + i, `198.51.100.${i}`, acct(3)));
    const found = loginDetections([ok, ...five]);
    expect(found).toMatchObject([
      { kind: 'compromised', ip: '192.0.2.9', account: acct(3), count: 5, last: T + 10_000 },
    ]);
    expect(found[0]!.evidence).toBe('success at 10:00 UTC after 5 failed logins');
    // In the site's time zone, as the rest of the report and the dashboard show times.
    const tokyo = loginDetections([ok, ...five], undefined, 'Asia/Tokyo');
    expect(tokyo[0]!.evidence).toBe('success at 19:00 after 5 failed logins');
    expect(loginDetections([ok, ...five.slice(1)])).toEqual([]);
  });

  it('counts only the failures of the hour before a success, and the first success past the limit', () => {
    const hour = LOGIN_DETECTION_DEFAULTS.compromised.windowMs;
    const success = (ts: number, ip: string): LoginAttempt => ({ ts, ip, outcome: 'success', account: acct(4) });
    // 3 failures, then 4 more 50 min later: at a success an hour after the third, 4 are within the hour.
    const early = times(3, (i) => fail(T + i, '198.51.100.1', acct(4)));
    const late = times(4, (i) => fail(T + 3_000_000 + i, '198.51.100.2', acct(4)));
    expect(loginDetections([...early, ...late, success(T + hour + 2, '192.0.2.1')])).toEqual([]);
    // Two seconds before the first hour ends, all 7 are, and the first success past the limit is reported.
    const found = loginDetections([
      ...early,
      ...late,
      success(T + hour - 2_000, '192.0.2.1'),
      success(T + hour, '192.0.2.2'),
    ]);
    expect(found).toMatchObject([{ kind: 'compromised', ip: '192.0.2.1', count: 7, first: T, last: T + hour - 2_000 }]);
  });

  it('gives the same detections for attempts newest first (as stores list them), oldest first or shuffled', () => {
    const attempts = [
      ...times(10, (i) => fail(T + i * 1000, '203.0.113.1', acct(1))),
      ...times(5, (i) => fail(T + 500 + i * 1000, '203.0.113.2', acct(10 + i))),
      ...times(20, (i) => fail(T + 700 + i * 1000, `198.51.100.${i}`, acct(7))),
    ].sort((a, b) => a.ts - b.ts);
    const expected = loginDetections(attempts);
    expect(expected.map((d) => d.kind)).toEqual(['brute-force', 'credential-stuffing', 'password-spraying']);
    expect(loginDetections(attempts.toReversed())).toEqual(expected);
    const shuffled = attempts.map((a, i) => [(i * 7919) % attempts.length, a] as const).sort((a, b) => a[0] - b[0]);
    expect(loginDetections(shuffled.map(([, a]) => a))).toEqual(expected);
  });

  it('exports the contract defaults', () => {
    expect(LOGIN_DETECTION_DEFAULTS.bruteForce).toEqual({ limit: 10, windowMs: 300_000 });
    expect(LOGIN_DETECTION_DEFAULTS.spraying.limit).toBe(20);
  });
});
