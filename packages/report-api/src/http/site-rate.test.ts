import { describe, expect, it } from 'vitest';
import { createSiteRate } from './site-rate.js';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('createSiteRate', () => {
  it('admits a site until its burst is spent, then says when to come back; another site is unaffected', () => {
    const c = clock();
    const rate = createSiteRate({ eventsPerSecond: 100, burstEvents: 1000, now: c.now });
    expect(rate.admit('a')).toEqual({ ok: true });
    rate.charge('a', 1500); // one batch may run the bucket into debt (-500)
    expect(rate.admit('a')).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect(rate.admit('b')).toEqual({ ok: true });
    c.advance(5_000);
    expect(rate.admit('a').ok).toBe(false);
    c.advance(1_000);
    expect(rate.admit('a')).toEqual({ ok: true });
  });

  it.each([
    ['a full bucket never grows past the burst', 10_000_000, 1001, false],
    ['a refilled bucket admits again', 10_000, 999, true],
    ['a clock stepping back earns nothing', -60_000, 1, false],
  ])('%s', (_name, advanceMs, charged, admitted) => {
    const c = clock(1_000_000);
    const rate = createSiteRate({ eventsPerSecond: 100, burstEvents: 1000, now: c.now });
    rate.charge('a', 1000);
    c.advance(advanceMs);
    rate.charge('a', charged);
    expect(rate.admit('a').ok).toBe(admitted);
  });

  it('remembers at most maxSites, forgetting the least recently seen', () => {
    const c = clock();
    const rate = createSiteRate({ eventsPerSecond: 1, burstEvents: 1, maxSites: 2, now: c.now });
    rate.charge('a', 5);
    rate.charge('b', 5);
    rate.admit('a'); // a is now the most recent
    rate.charge('c', 5); // forgets b
    expect(rate.size).toBe(2);
    expect(rate.admit('a').ok).toBe(false);
    expect(rate.admit('b').ok).toBe(true); // forgotten: a full bucket again
  });

  it.each([
    ['eventsPerSecond', { eventsPerSecond: 0, burstEvents: 1 }],
    ['burstEvents', { eventsPerSecond: 1, burstEvents: Number.NaN }],
    ['maxSites', { eventsPerSecond: 1, burstEvents: 1, maxSites: 0.5 }],
  ])('names a bad %s', (name, options) => {
    expect(() => createSiteRate(options)).toThrow(new RegExp(`options\\.${name}`));
  });
});
