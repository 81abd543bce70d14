import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAccountHasher } from './account-hash.js';

const KEY = 'site-secret-key-0123456789';
const reference = (key: string, text: string) =>
  createHmac('sha256', key).update(text, 'utf8').digest('hex').slice(0, 32);

describe('createAccountHasher', () => {
  it.each([
    ['a plain account', 'alice@example.com'],
    ['55 bytes (one block with the padding)', 'a'.repeat(55)],
    ['56 bytes (the padding spills into a second block)', 'a'.repeat(56)],
    ['64 bytes', 'b'.repeat(64)],
    ['multi-byte UTF-8 and an emoji', 'jörg€\u{1F600}@example.com'],
    ['a lone surrogate (encoded as U+FFFD)', 'x\ud800y'],
    ['U+0130, which lower-casing lengthens', '\u0130stanbul'],
    ['the longest account kept', 'c'.repeat(1024)],
  ])('equals node:crypto for %s, however often the keyed state is reused', (_name, account) => {
    const hash = createAccountHasher(KEY);
    const want = reference(KEY, account.toLowerCase());
    expect(hash(account)).toBe(want);
    expect(hash(account)).toBe(want);
  });

  it.each([
    ['a 64-byte key (one block)', 'k'.repeat(64)],
    ['a 65-byte key (hashed first)', 'k'.repeat(65)],
  ])('equals node:crypto with %s', (_name, key) => {
    expect(createAccountHasher(key)('alice')).toBe(reference(key, 'alice'));
  });

  it('keeps nothing of one account into the next (long, short, multi-byte, in turn)', () => {
    const hash = createAccountHasher(KEY);
    const accounts = ['c'.repeat(1024), 'alice', '\u0130'.repeat(1024), 'b', 'jörg€\u{1F600}', 'alice'];
    for (const account of accounts) expect(hash(account)).toBe(reference(KEY, account.toLowerCase()));
  });

  it('trims, lower-cases and cuts accounts at 1024 characters before hashing', () => {
    const hash = createAccountHasher(KEY);
    expect(hash('  Alice@Example.COM ')).toBe(hash('alice@example.com'));
    expect(hash('d'.repeat(5000))).toBe(reference(KEY, 'd'.repeat(1024)));
  });

  it('answers null for what is not an account, and refuses short keys', () => {
    const hash = createAccountHasher(KEY);
    for (const account of ['', '   ', null, undefined, 42, { toString: () => 'x' }]) expect(hash(account)).toBeNull();
    expect(() => createAccountHasher('short')).toThrow(/at least 16 characters/);
  });

  it('gives the same hashes when it remembers them: 3,000 accounts, twice, past the 1,024 remembered', () => {
    const hash = createAccountHasher(KEY);
    const accounts = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? `User${i}@Example.com` : ` u${i} `));
    for (const round of [accounts, [...accounts].reverse()]) {
      for (const account of round) expect(hash(account)).toBe(reference(KEY, account.trim().toLowerCase()));
    }
    // Blank accounts are not remembered as anything.
    expect(hash('   ')).toBeNull();
    expect(hash('   ')).toBeNull();
  });

  it('gives different hashes for different keys', () => {
    expect(createAccountHasher(KEY)('alice')).not.toBe(createAccountHasher(`${KEY}!`)('alice'));
  });
});
