import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import type { RequestFacts } from '../engine-options.js';
import { createBanTracker } from './bans.js';
import type { BanSharing, BanSharingContext } from './shared.js';

function req(ip: string): RequestFacts {
  return { ip, method: 'GET', host: 'shop.example', path: '/', ua: 'Mozilla/5.0', country: 'JP' };
}

/** A store that keeps what the engine hands it, so the contract can be checked without Redis. */
function recordingStore() {
  const recorded: Array<[string, number]> = [];
  const contexts: BanSharingContext[] = [];
  let closed = 0;
  const sharing: BanSharing = {
    connect(context) {
      contexts.push(context);
      return {
        record: (key, now) => void recorded.push([key, now]),
        stats: () => ({
          connected: true,
          pending: recorded.length,
          sent: 0,
          dropped: 0,
          bansIssued: 0,
          bansReceived: 0,
          errors: 0,
        }),
        close: async () => void closed++,
      };
    },
  };
  return { sharing, recorded, contexts, closed: () => closed };
}

describe('shared bans: the engine side of the contract', () => {
  it('hands the store counted errors only, grouped like local counting, with the resolved settings', () => {
    let clock = 5_000;
    const store = recordingStore();
    const engine = createEngine({ bans: { threshold: 3, statuses: '4xx', shared: store.sharing }, now: () => clock });
    expect(store.contexts).toHaveLength(1);
    expect(store.contexts[0]!.settings).toMatchObject({
      threshold: 3,
      windowMs: 30_000,
      banMs: 4 * 3_600_000,
      repeatMultiplier: 2,
      statuses: '4xx',
    });
    for (const [ip, status] of [
      ['2001:db8:1:2::7', 404],
      ['2001:db8:1:2::8', 429],
      ['2001:db8:1:2::8', 503],
      ['2001:db8:1:2::8', 200],
      ['203.0.113.9', 403],
    ] as const) {
      clock++;
      engine.observe(req(ip), engine.decide(req(ip)), status, 1);
    }
    expect(store.recorded).toEqual([
      ['2001:db8:1:2::/64', 5_001],
      ['2001:db8:1:2::/64', 5_002],
      ['203.0.113.9', 5_005],
    ]);
    expect(engine.stats().sharedBans).toMatchObject({ connected: true, pending: 3 });
  });

  it('applies a ban the store reports to decide, without counting it as issued here, and lifts it', () => {
    let clock = 1_000;
    const store = recordingStore();
    const engine = createEngine({ bans: { shared: store.sharing }, now: () => clock });
    const context = store.contexts[0]!;
    expect(context.ban('2001:db8:1:2::/64', clock + 10_000)).toBe(true);
    expect(engine.decide(req('2001:db8:1:2::99'))).toMatchObject({ action: 'block', rule: 'ban' });
    expect(engine.stats()).toMatchObject({ bansActive: 1, bansIssued: 0 });
    // A shorter copy of the same ban changes nothing; a longer one extends it.
    expect(context.ban('2001:db8:1:2::/64', clock + 5_000)).toBe(false);
    expect(context.ban('2001:db8:1:2::/64', clock + 20_000)).toBe(true);
    clock += 15_000;
    expect(engine.decide(req('2001:db8:1:2::99')).action).toBe('block');
    expect(context.lift('2001:db8:1:2::/64')).toBe(true);
    expect(engine.decide(req('2001:db8:1:2::99')).action).toBe('allow');
    expect(context.lift('2001:db8:1:2::/64')).toBe(false);
  });

  it('counts store errors in stats().errors and reports them to onError', () => {
    const store = recordingStore();
    const reported: unknown[] = [];
    const engine = createEngine({ bans: { shared: store.sharing }, onError: (e) => reported.push(e) });
    store.contexts[0]!.onError(new Error('redis down'));
    expect(engine.stats().errors).toBe(1);
    expect(reported).toEqual([new Error('redis down')]);
  });

  it('closes the store with the engine, even when the sink fails to close', async () => {
    const store = recordingStore();
    const reported: unknown[] = [];
    const sink = { push() {}, flush: async () => {}, close: async () => Promise.reject(new Error('sink')) };
    const engine = createEngine({ bans: { shared: store.sharing }, sink, onError: (e) => reported.push(e) });
    await engine.close();
    expect(store.closed()).toBe(1);
    expect(reported).toEqual([new Error('sink')]);
  });

  it('refuses a shared option that is not a store, naming it', () => {
    expect(() => createEngine({ bans: { shared: {} as BanSharing } })).toThrow(
      /options\.bans\.shared must be a ban store/,
    );
  });

  it('is null in stats without a store', () => {
    expect(createEngine().stats().sharedBans).toBeNull();
  });
});

describe('engine.addBan / liftBan', () => {
  it('bans an IP by its client key until the given time and lifts it, without a deny-list rebuild', () => {
    let clock = 0;
    const engine = createEngine({ now: () => clock });
    expect(engine.addBan('2001:db8:7:7::1', 1_000)).toBe(true);
    expect(engine.decide(req('2001:db8:7:7::ffff'))).toMatchObject({ action: 'block', rule: 'ban' });
    expect(engine.stats().denyListSize).toBe(0);
    expect(engine.liftBan('2001:db8:7:7::1')).toBe(true);
    expect(engine.decide(req('2001:db8:7:7::ffff')).action).toBe('allow');
    expect(engine.addBan('203.0.113.5', 1_000)).toBe(true);
    clock = 1_000;
    expect(engine.decide(req('203.0.113.5')).action).toBe('allow');
    expect(engine.addBan('203.0.113.5', 500)).toBe(false); // already over
  });

  it('does nothing with bans off, and names a bad argument', () => {
    const engine = createEngine({ bans: false });
    expect(engine.addBan('203.0.113.5', Date.now() + 1_000)).toBe(false);
    expect(engine.liftBan('203.0.113.5')).toBe(false);
    expect(() => engine.addBan('', 1)).toThrow(/client must be a non-empty string/);
  });
});

describe('createBanTracker: imposed bans', () => {
  it('escalates an imposed ban like a counted one, and a counted one after it', () => {
    const bans = createBanTracker({ threshold: 1, windowMs: 1_000, banMs: 1_000, repeatMultiplier: 3 });
    expect(bans.impose('x', 500, 0)).toBe(true);
    expect(bans.isBanned('x', 499)).toBe(true);
    // Second offence: 3 s.
    expect(Math.max(bans.record('x', 404, 2_000), bans.record('x', 404, 2_001))).toBe(3_000);
    expect(bans.counts(404)).toBe(true);
    expect(bans.counts(399)).toBe(false);
  });
});
