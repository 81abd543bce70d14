import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../test/helpers.js';
import { SIGNED_OUT_SETTING, settingsRevocations } from './revocations.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

describe('settingsRevocations', () => {
  it('records a sign-out for other instances and deletes it once the session has expired anyway', async () => {
    let clock = 1_000_000;
    t = tempStore(() => clock);
    const ttlMs = 60_000;
    const here = settingsRevocations(t.store, { now: () => clock, ttlMs });
    const elsewhere = settingsRevocations(t.store, { now: () => clock, ttlMs });
    await here.revoke('s_old', clock + ttlMs);
    expect(await elsewhere.isRevoked('s_old')).toBe(true);
    expect(await elsewhere.isRevoked('s_other')).toBe(false);

    clock += ttlMs + 1; // s_old has expired: the next sign-out clears its record
    await here.revoke('s_new', clock + ttlMs);
    expect(await t.store.setting(SIGNED_OUT_SETTING + 's_old')).toBeNull();
    expect(await elsewhere.isRevoked('s_new')).toBe(true);
  });

  it('names a bad ttlMs', () => {
    t = tempStore();
    expect(() => settingsRevocations(t.store, { ttlMs: 0 })).toThrow(/ttlMs/);
  });
});
