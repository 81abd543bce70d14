import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../test/helpers.js';
import { openSqliteStore } from '../db/sqlite/open.js';
import { UsageError } from './args.js';
import { resolveSessionSecret } from './session-secret.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

const long = 'a-session-secret-of-forty-characters-xx';

describe('resolveSessionSecret', () => {
  it('prefers --session-secret, then WATCHPOST_SESSION_SECRET', async () => {
    t = tempStore();
    const fromOption = await resolveSessionSecret(t.store, long + '1', long + '2');
    expect(fromOption.source).toBe('option');
    expect(new TextDecoder().decode(fromOption.secret)).toBe(long + '1');
    const fromEnv = await resolveSessionSecret(t.store, undefined, long + '2');
    expect(fromEnv.source).toBe('env');
    expect(new TextDecoder().decode(fromEnv.secret)).toBe(long + '2');
  });

  it('refuses a short secret with a usage error naming its source', async () => {
    t = tempStore();
    await expect(resolveSessionSecret(t.store, 'short', undefined)).rejects.toThrow(UsageError);
    await expect(resolveSessionSecret(t.store, undefined, 'short')).rejects.toThrow(/WATCHPOST_SESSION_SECRET/);
  });

  it('without either, generates one secret and keeps it in the database across restarts', async () => {
    t = tempStore();
    const first = await resolveSessionSecret(t.store, undefined, undefined);
    expect(first.source).toBe('database');
    expect(first.secret.length).toBe(32);
    await t.store.close();
    const reopened = openSqliteStore({ path: t.path });
    try {
      const again = await resolveSessionSecret(reopened, undefined, '');
      expect(Buffer.from(again.secret).equals(Buffer.from(first.secret))).toBe(true);
    } finally {
      await reopened.close();
    }
    const other = tempStore();
    try {
      const fresh = await resolveSessionSecret(other.store, undefined, undefined);
      expect(Buffer.from(fresh.secret).equals(Buffer.from(first.secret))).toBe(false);
    } finally {
      await other.cleanup();
    }
  });
});
