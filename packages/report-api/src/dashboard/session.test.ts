import { describe, expect, it } from 'vitest';
import { createSessions } from './session.js';

const secret = new Uint8Array(32).fill(7);

describe('createSessions', () => {
  it('round-trips a session and rejects tampering', async () => {
    const sessions = createSessions({ secret, now: () => 1_000 });
    const { token } = await sessions.issue(['s_1', 's_2'], ['k_1', 'k_2']);
    expect((await sessions.verify(token))?.siteIds).toEqual(['s_1', 's_2']);
    const [payload, mac] = token.split('.') as [string, string];
    const forged = btoa(JSON.stringify({ i: 'x', s: ['s_9'], e: 9e15 })).replace(/=+$/, '');
    expect(await sessions.verify(`${forged}.${mac}`)).toBeNull();
    expect(await sessions.verify(`${payload}.${mac.slice(0, -2)}AA`)).toBeNull();
    expect(await sessions.verify(`${payload}.${mac}.x`)).toBeNull();
    expect(await sessions.verify(undefined)).toBeNull();
    expect(await sessions.verify('garbage')).toBeNull();
  });

  it('rejects a token signed with another secret', async () => {
    const other = createSessions({ secret: new Uint8Array(32).fill(8) });
    const { token } = await other.issue(['s_1'], ['k_1']);
    expect(await createSessions({ secret }).verify(token)).toBeNull();
  });

  it('expires after ttlMs and after revoke', async () => {
    let now = 1_000;
    const sessions = createSessions({ secret, ttlMs: 500, now: () => now });
    const a = await sessions.issue(['s_1'], ['k_1']);
    const b = await sessions.issue(['s_1'], ['k_1']);
    now = 1_499;
    await sessions.revoke(a.session);
    expect(await sessions.verify(a.token)).toBeNull();
    expect(await sessions.verify(b.token)).not.toBeNull();
    now = 1_500;
    expect(await sessions.verify(b.token)).toBeNull();
  });

  it('ties the CSRF token to the session', async () => {
    const sessions = createSessions({ secret });
    const a = await sessions.issue(['s_1'], ['k_1']);
    const b = await sessions.issue(['s_1'], ['k_1']);
    const token = await sessions.csrfToken(a.session);
    expect(await sessions.checkCsrf(a.session, token)).toBe(true);
    expect(await sessions.checkCsrf(b.session, token)).toBe(false);
    expect(await sessions.checkCsrf(a.session, undefined)).toBe(false);
    expect(await sessions.checkCsrf(a.session, '')).toBe(false);
  });

  it('refuses a short secret', () => {
    expect(() => createSessions({ secret: new Uint8Array(8) })).toThrow(TypeError);
  });
});

describe('token spelling', () => {
  it('refuses a MAC spelled differently for the same bytes, and oversized or malformed CSRF tokens', async () => {
    const sessions = createSessions({ secret, now: () => 1_000 });
    const { token, session } = await sessions.issue(['s_1'], ['k_1']);
    const [payload, mac] = token.split('.') as [string, string];
    // 32 bytes are 43 base64url characters; the last one carries 2 unused bits.
    const last = mac.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(await sessions.verify(`${payload}.${mac.slice(0, -1)}${sibling}`)).toBeNull();
    expect(await sessions.verify(`${payload}.${mac}=`)).toBeNull();
    expect(await sessions.verify(`${payload}.${Buffer.from(mac, 'base64url').toString('base64')}`)).toBeNull();
    const csrf = await sessions.csrfToken(session);
    expect(await sessions.checkCsrf(session, `${csrf}${'A'.repeat(4096)}`)).toBe(false);
    expect(await sessions.checkCsrf(session, `${csrf}\u0000`)).toBe(false);
    expect(await sessions.checkCsrf(session, ['array'])).toBe(false);
    expect(await sessions.checkCsrf(session, csrf)).toBe(true);
  });
});
