import { describe, expect, it } from 'vitest';
import { createBanTracker } from './bans.js';

const HOUR = 3_600_000;

describe('createBanTracker', () => {
  it('bans past the threshold within the window, not at it', () => {
    const bans = createBanTracker({ threshold: 100, windowMs: 30_000 });
    const t0 = 1_700_000_000_000 - (1_700_000_000_000 % 30_000); // start of a fixed window
    for (let i = 0; i < 100; i++) expect(bans.record('203.0.113.7', 404, t0 + i * 100)).toBe(0);
    expect(bans.isBanned('203.0.113.7', t0 + 10_000)).toBe(false);
    expect(bans.record('203.0.113.7', 500, t0 + 10_001)).toBe(4 * HOUR);
    expect(bans.isBanned('203.0.113.7', t0 + 10_002)).toBe(true);
    expect(bans.isBanned('203.0.113.8', t0 + 10_002)).toBe(false);
  });

  it('does not ban errors spread thinner than the window', () => {
    const bans = createBanTracker({ threshold: 10, windowMs: 1_000 });
    // 2 errors per second for a minute: never 11 in any second.
    for (let i = 0; i < 120; i++) expect(bans.record('a', 503, i * 500)).toBe(0);
  });

  it('counts the previous window by its overlap (sliding, not fixed)', () => {
    const bans = createBanTracker({ threshold: 10, windowMs: 1_000 });
    for (let i = 0; i < 10; i++) bans.record('a', 404, 900 + i); // 10 at the end of window 0
    // 100 ms into window 1, 90% of window 0 still overlaps: 9 + 2 = 11 > 10.
    expect(bans.record('a', 404, 1_100)).toBe(0);
    expect(bans.record('a', 404, 1_100)).toBeGreaterThan(0);
  });

  it('ignores 2xx/3xx, and 5xx when statuses is 4xx (AWS style)', () => {
    const aws = createBanTracker({ threshold: 50, windowMs: 60_000, statuses: '4xx' });
    for (let i = 0; i < 200; i++) {
      expect(aws.record('a', 200, i)).toBe(0);
      expect(aws.record('a', 502, i)).toBe(0);
    }
    let banned = 0;
    for (let i = 0; i < 51; i++) banned = aws.record('a', 429, 1_000 + i);
    expect(banned).toBe(4 * HOUR);
  });

  it('lifts the ban when it expires and bans a repeat offender longer', () => {
    const bans = createBanTracker({ threshold: 2, windowMs: 1_000, banMs: 1_000, repeatMultiplier: 3 });
    const burst = (at: number) => [0, 1, 2].map((i) => bans.record('x', 404, at + i)).at(-1);
    expect(burst(0)).toBe(1_000);
    expect(bans.isBanned('x', 999)).toBe(true);
    expect(bans.isBanned('x', 1_002)).toBe(false);
    expect(burst(5_000)).toBe(3_000);
    expect(bans.isBanned('x', 7_000)).toBe(true);
    expect(burst(20_000)).toBe(9_000);
    expect(bans.stats(20_003)).toMatchObject({ bansActive: 1, bansIssued: 3 });
  });

  it('caps a ban at maxBanMs and forgets old offences after forgetAfterMs', () => {
    const bans = createBanTracker({
      threshold: 1,
      windowMs: 1_000,
      banMs: 1_000,
      repeatMultiplier: 10,
      maxBanMs: 5_000,
      forgetAfterMs: 60_000,
    });
    const burst = (at: number) => Math.max(bans.record('x', 404, at), bans.record('x', 404, at + 1));
    expect(burst(0)).toBe(1_000);
    expect(burst(10_000)).toBe(5_000); // 10 000 capped
    expect(burst(15_000 + 60_001)).toBe(1_000); // forgotten
  });

  it('stays bounded under 100k distinct IPs and counts evictions', () => {
    const bans = createBanTracker({ threshold: 1, maxClients: 1_000 });
    for (let i = 0; i < 100_000; i++) bans.record(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 404, 1_000);
    const stats = bans.stats(1_000);
    expect(stats.clientsTracked).toBe(1_000);
    expect(stats.evictions).toBe(99_000);
    expect(stats.bansActive).toBe(0);
  });

  it('keeps bans apart from counters: a flood of new IPs does not lift a ban', () => {
    const bans = createBanTracker({ threshold: 1, maxClients: 100 });
    bans.record('bad', 404, 0);
    bans.record('bad', 404, 1);
    for (let i = 0; i < 10_000; i++) bans.record(`n${i}`, 404, 2);
    expect(bans.isBanned('bad', 3)).toBe(true);
  });

  it('bounds the bans themselves, evicting expired bans first', () => {
    const bans = createBanTracker({ threshold: 1, maxClients: 10, banMs: 100, windowMs: 1 });
    for (let i = 0; i < 50; i++) {
      bans.record(`c${i}`, 404, i * 1_000);
      bans.record(`c${i}`, 404, i * 1_000);
    }
    expect(bans.isBanned('c49', 49_000)).toBe(true);
    expect(bans.stats(49_000).bansIssued).toBe(50);
  });

  it.each([
    [{ threshold: 0 }, 'options.bans.threshold'],
    [{ threshold: 1.5 }, 'options.bans.threshold'],
    [{ windowMs: -1 }, 'options.bans.windowMs'],
    [{ repeatMultiplier: 0.5 }, 'options.bans.repeatMultiplier'],
    [{ statuses: '5xx' as '4xx' }, 'options.bans.statuses'],
    [{ maxClients: 0 }, 'options.bans.maxClients'],
  ])('rejects %j naming %s', (options, name) => {
    expect(() => createBanTracker(options)).toThrow(new RegExp(name.replace(/\./g, '\\.')));
  });
});
