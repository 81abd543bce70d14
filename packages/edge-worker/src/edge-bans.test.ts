import { describe, expect, it } from 'vitest';
import { denyEntry } from './test-support/fakes.js';
import { createEdgeBans } from './edge-bans.js';

describe('createEdgeBans', () => {
  it('adds a ban as an auto deny entry with its expiry, merged after the KV list', () => {
    const bans = createEdgeBans();
    expect(bans.add('203.0.113.7', 5_000, 1_000)).toBe(true);
    const merged = bans.merge([denyEntry('198.51.100.0/24')], 1_000);
    expect(merged.map((entry) => entry.value)).toEqual(['198.51.100.0/24', '203.0.113.7']);
    expect(merged[1]).toMatchObject({ source: 'auto', expiresAt: 5_000 });
  });

  it('asks for no rebuild when nothing changed, and drops expired bans', () => {
    const bans = createEdgeBans();
    expect(bans.add('203.0.113.7', 0, 1_000)).toBe(false);
    expect(bans.add('203.0.113.7', 5_000, 1_000)).toBe(true);
    expect(bans.add('203.0.113.7', 4_000, 1_000)).toBe(false);
    expect(bans.add('203.0.113.7', 9_000, 1_000)).toBe(true);
    expect(bans.merge([], 9_000)).toEqual([]);
    expect(bans.size).toBe(0);
  });

  it('holds at most maxBans, dropping the one that ends soonest', () => {
    const bans = createEdgeBans({ maxBans: 2 });
    bans.add('192.0.2.1', 3_000, 0);
    bans.add('192.0.2.2', 9_000, 0);
    bans.add('192.0.2.3', 6_000, 0);
    expect(bans.merge([], 0).map((entry) => entry.value).sort()).toEqual(['192.0.2.2', '192.0.2.3']);
  });
});
