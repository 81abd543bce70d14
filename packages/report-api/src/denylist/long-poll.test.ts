import { afterEach, describe, expect, it, vi } from 'vitest';
import { appWithSite, post, tempStore } from '../../test/helpers.js';
import { createDenyListWatch } from './watch.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => {
  vi.useRealTimers();
  await t?.cleanup();
});

/**
 * Fake timers for the long poll's wait and recheck timers only: the clock, `setImmediate` and the
 * database stay real, so a test moves time exactly where it says and never sleeps.
 */
function fakeTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
}

/** Resolves once `count` more fake timers are pending than `before` (a request is being held). */
async function held(before: number, count = 2): Promise<void> {
  for (let turn = 0; vi.getTimerCount() < before + count; turn++) {
    if (turn > 10_000) throw new Error(`${vi.getTimerCount() - before} of ${count} timers were set`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Whether a promise has settled, without waiting for it. */
async function settled(answer: Response | Promise<Response>): Promise<boolean> {
  let done = false;
  void Promise.resolve(answer).then(() => (done = true));
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

const auth = (key: string, extra: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${key}`, ...extra },
});

async function setup() {
  t = tempStore();
  const ctx = await appWithSite(t.store);
  const first = await ctx.app.request('/v1/denylist', auth(ctx.ingestKey));
  return { ...ctx, etag: first.headers.get('etag')! };
}

describe('GET /v1/denylist?wait= (long poll)', () => {
  it('holds an unchanged list and answers as soon as an entry is added through the API', async () => {
    const { app, ingestKey, adminKey, etag } = await setup();
    fakeTimers();
    const before = vi.getTimerCount();
    const waiting = app.request('/v1/denylist?wait=20', auth(ingestKey, { 'if-none-match': etag }));
    await held(before);
    expect(await settled(waiting)).toBe(false);
    const added = await app.request('/v1/denylist', post(adminKey, { value: '198.51.100.7', reason: 'scanner' }));
    expect(added.status).toBe(201);
    // No fake time has passed: the change woke it, not the 20 s timeout nor a recheck.
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.headers.get('watchpost-wait')).toBe('20');
    expect(res.headers.get('etag')).not.toBe(etag);
    expect((await res.json()) as object).toMatchObject({ entries: [{ value: '198.51.100.7' }] });
  });

  it('sees a change made behind its back (another instance, the dashboard) within a recheck', async () => {
    const { app, ingestKey, site, etag } = await setup();
    fakeTimers();
    const before = vi.getTimerCount();
    const waiting = app.request('/v1/denylist?wait=20', auth(ingestKey, { 'if-none-match': etag }));
    await held(before);
    await t.store.addDenyEntry(
      site.id,
      { value: '203.0.113.9', reason: '', source: 'manual', expiresAt: null },
      Date.now(),
    );
    // Nobody notified the watch: it stays held until its next recheck (1 s), well before the 20 s wait.
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await waiting).status).toBe(200);
  });

  it('answers 304 when the wait runs out, and at once without a matching ETag', async () => {
    const { app, ingestKey, etag } = await setup();
    fakeTimers();
    const before = vi.getTimerCount();
    const waiting = app.request('/v1/denylist?wait=1', auth(ingestKey, { 'if-none-match': etag }));
    await held(before);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await waiting).status).toBe(304);
    // A stale ETag is answered without holding: no timer is set and no fake time passes.
    const stale = await app.request('/v1/denylist?wait=20', auth(ingestKey, { 'if-none-match': '"0000"' }));
    expect(stale.status).toBe(200);
    expect(vi.getTimerCount()).toBe(before);
  });

  it("is not woken by another site's change", async () => {
    const { app, ingestKey, etag } = await setup();
    const other = await t.store.createSite({ name: 'other', timeZone: 'UTC', homeCountry: 'JP' });
    fakeTimers();
    const before = vi.getTimerCount();
    const waiting = app.request('/v1/denylist?wait=2', auth(ingestKey, { 'if-none-match': etag }));
    await held(before);
    const added = await app.request('/v1/denylist', post(other.adminKey, { value: '198.51.100.8', reason: '' }));
    expect(added.status).toBe(201);
    await vi.advanceTimersByTimeAsync(1999);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await waiting).status).toBe(304);
  });

  it.each(['abc', '31', '-1', '1e3', '2.5', '9'.repeat(400), '%00'])('refuses wait=%j with 400', async (wait) => {
    const { app, ingestKey } = await setup();
    const res = await app.request(`/v1/denylist?wait=${wait}`, auth(ingestKey));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/whole seconds from 0 to 30/);
  });
});

describe('createDenyListWatch', () => {
  it('reads each watched site once per recheck however many wait, and stops when none wait', async () => {
    let reads = 0;
    fakeTimers();
    const watch = createDenyListWatch({ versionOf: async () => (reads++, 'v1'), recheckMs: 50 });
    const waits = Array.from({ length: 200 }, () => watch.wait('site', 'v1', 300));
    expect(watch.stats()).toMatchObject({ waiting: 200, sites: 1 });
    await vi.advanceTimersByTimeAsync(300);
    expect(await Promise.all(waits)).toEqual(Array(200).fill(false));
    // One read per recheck, at 50, 100, ..., 300 ms (the interval was set before the timeouts): 6, not 200 × 6.
    expect(reads).toBe(6);
    expect(watch.stats()).toMatchObject({ waiting: 0, sites: 0 });
  });

  it('answers at once past maxWaiters and when the caller has gone', async () => {
    const watch = createDenyListWatch({ versionOf: async () => 'v1', maxWaiters: 2 });
    const held = [watch.wait('a', 'v1', 10_000), watch.wait('b', 'v1', 10_000)];
    expect(await watch.wait('c', 'v1', 10_000)).toBe(false);
    expect(watch.stats()).toMatchObject({ waiting: 2, refused: 1 });
    const gone = new AbortController();
    gone.abort();
    expect(await watch.wait('a', 'v1', 10_000, gone.signal)).toBe(false);
    watch.notify('a');
    const aborting = new AbortController();
    const third = createDenyListWatch({ versionOf: async () => 'v1' }).wait('x', 'v1', 10_000, aborting.signal);
    aborting.abort();
    expect(await third).toBe(false);
    void held;
  });

  it('wakes a waiter whose version is stale and reports read errors', async () => {
    const errors: unknown[] = [];
    let version = 'v1';
    let fail = true;
    const watch = createDenyListWatch({
      versionOf: async () => {
        if (fail) {
          fail = false;
          throw new Error('database gone');
        }
        return version;
      },
      recheckMs: 20,
      onError: (error) => errors.push(error),
    });
    const held = watch.wait('s', 'v1', 5000);
    version = 'v2';
    expect(await held).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
