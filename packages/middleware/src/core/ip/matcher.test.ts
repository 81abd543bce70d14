import { describe, expect, it } from 'vitest';
import { createIpMatcher } from './matcher.js';
import { parseIp } from './parse.js';
import { parseCidr } from './cidr.js';

describe('createIpMatcher', () => {
  const matcher = createIpMatcher([
    { value: '10.0.0.0/8', id: 'ten' },
    { value: '10.1.0.0/16', id: 'ten-one' },
    { value: '10.1.2.3', id: 'host' },
    { value: '192.0.2.0/24', id: 'doc' },
    { value: '2001:db8::/32', id: 'doc6' },
    { value: '2001:db8:1::/48', id: 'doc6-1' },
    { value: '2001:db8:1::1', id: 'host6' },
    { value: '::ffff:198.51.100.0/120', id: 'mapped-block' },
    { value: '2001:db8:8000::/33', id: 'odd' },
  ]);

  it.each([
    ['longest prefix: host', '10.1.2.3', 'host'],
    ['longest prefix: /16', '10.1.9.9', 'ten-one'],
    ['longest prefix: /8', '10.200.0.1', 'ten'],
    ['outside every block', '11.0.0.1', null],
    ['first address of block', '192.0.2.0', 'doc'],
    ['last address of block', '192.0.2.255', 'doc'],
    ['just past block', '192.0.3.0', null],
    ['mapped address matches IPv4 block', '::ffff:10.1.2.3', 'host'],
    ['IPv4 block given in mapped form', '198.51.100.77', 'mapped-block'],
    ['IPv6 longest: host', '2001:db8:1::1', 'host6'],
    ['IPv6 longest: /48', '2001:db8:1::2', 'doc6-1'],
    ['IPv6 /32', '2001:db8:2::1', 'doc6'],
    ['IPv6 /33 branch', '2001:db8:8000::5', 'odd'],
    ['IPv6 /33 other half', '2001:db8:7fff::5', 'doc6'],
    ['IPv6 outside', '2001:db9::1', null],
    ['IPv6 with zone id', 'fe80::1%eth0', null],
    ['IPv6 in brackets', '[2001:db8:1::1]', 'host6'],
    ['malformed input', '10.1.2', null],
    ['empty input', '', null],
  ])('%s: %s', (_name, ip, id) => {
    expect(matcher.match(ip)?.id ?? null).toBe(id);
  });

  it('accepts an address parsed once by the caller', () => {
    expect(matcher.match(parseIp('10.1.2.3')!)?.id).toBe('host');
  });

  it('keeps families apart: ::/0 does not match IPv4, 0.0.0.0/0 does not match IPv6', () => {
    const v6all = createIpMatcher(['::/0']);
    const v4all = createIpMatcher(['0.0.0.0/0']);
    expect(v6all.match('2001:db8::1')).toBe('::/0');
    expect(v6all.match('1.2.3.4')).toBeNull();
    expect(v4all.match('1.2.3.4')).toBe('0.0.0.0/0');
    expect(v4all.match('::1')).toBeNull();
  });

  it.each([
    ['/0 v4', '0.0.0.0/0', '255.255.255.255', true],
    ['/32 v4 exact', '203.0.113.9/32', '203.0.113.9', true],
    ['/32 v4 neighbour', '203.0.113.9/32', '203.0.113.10', false],
    ['/128 exact', '2001:db8::9/128', '2001:db8::9', true],
    ['/128 neighbour', '2001:db8::9/128', '2001:db8::8', false],
    ['host bits set', '203.0.113.77/24', '203.0.113.1', true],
    ['/1 upper half', '128.0.0.0/1', '200.0.0.1', true],
    ['/1 lower half', '128.0.0.0/1', '100.0.0.1', false],
    ['/64 v6', '2001:db8:1:2::/64', '2001:db8:1:2:ffff:ffff:ffff:ffff', true],
    ['/65 v6 misses', '2001:db8:1:2:8000::/65', '2001:db8:1:2:7fff::1', false],
  ])('CIDR edge %s', (_name, block, ip, hit) => {
    expect(createIpMatcher([block]).match(ip) !== null).toBe(hit);
  });

  it('finds every one of 20,000 entries at its own address (growth and jump table)', () => {
    const entries = Array.from({ length: 20_000 }, (_, i) =>
      i % 2 === 0
        ? `10.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`
        : `2001:db8:${i.toString(16)}::${i.toString(16)}/112`,
    );
    const m = createIpMatcher(entries);
    expect(m.size).toBe(20_000);
    for (const entry of entries) expect(m.match(entry.split('/')[0]!)).toBe(entry);
    expect(m.match('10.255.255.255')).toBeNull();
  });

  it('finds 20,000 neighbours under one long prefix (tables below a long single path)', () => {
    const entries = Array.from(
      { length: 20_000 },
      (_, i) => `2001:db8:1:2:3:4:${(i >> 8).toString(16)}:${(i & 255).toString(16)}`,
    );
    const m = createIpMatcher(['2001:db8::/32', ...entries]);
    for (const entry of entries) expect(m.match(entry)).toBe(entry);
    expect(m.match('2001:db8:1:2:3:4:ffff:1')).toBe('2001:db8::/32');
    expect(m.match('2001:db9::1')).toBeNull();
  });

  it('keeps the first of duplicate blocks in a long list too (built in address order)', () => {
    const first = Array.from({ length: 5_000 }, (_, i) => ({
      value: `10.${i >> 8}.${i & 255}.0/24`,
      id: `first-${i}`,
    }));
    const again = first.map((entry, i) => ({ value: entry.value.replace('.0/24', '.9/24'), id: `again-${i}` }));
    const m = createIpMatcher([...first.slice(0, 2_500), ...again, ...first.slice(2_500)]);
    expect(m.size).toBe(5_000);
    expect(m.match('10.0.5.1')?.id).toBe('first-5');
    expect(m.match('10.19.0.1')?.id).toBe('again-4864'); // 19 * 256: its "first" came later
  });

  it('returns strings as given and keeps the first of duplicate blocks', () => {
    const m = createIpMatcher(['10.0.0.0/8', { value: '10.9.9.9/8' }]);
    expect(m.size).toBe(1);
    expect(m.match('10.2.3.4')).toBe('10.0.0.0/8');
  });

  it.each([['not-an-ip'], ['10.0.0.0/33'], ['1.2.3'], ['']])('throws a TypeError naming %j', (bad) => {
    expect(() => createIpMatcher(['10.0.0.0/8', { value: bad }])).toThrow(TypeError);
    expect(() => createIpMatcher([bad])).toThrow(JSON.stringify(bad));
  });

  it.each([
    ['a small trie', 400, 2000],
    ['a large trie with its jump table', 3000, 600],
  ])('agrees with a linear longest-prefix scan on random blocks: %s', (_name, blockCount, probeCount) => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const word = () => Math.floor(random() * 2 ** 32) >>> 0;
    // Few distinct high bits so that blocks nest and share paths.
    const v4 = () => `${[(word() & 3) + 10, word() & 3, word() & 255, word() & 255].join('.')}`;
    const hex = () => (word() & 0xffff).toString(16);
    const v6 = () => `2001:db8:${word() & 1}:${hex()}:${hex()}:${hex()}:${hex()}:${hex()}`;
    const blocks: string[] = [];
    for (let i = 0; i < blockCount; i++) {
      blocks.push(random() < 0.5 ? `${v4()}/${Math.floor(random() * 33)}` : `${v6()}/${Math.floor(random() * 129)}`);
    }
    const m = createIpMatcher(blocks);
    const parsed = blocks.map((b) => parseCidr(b)!);
    const contains = (i: number, ip: ReturnType<typeof parseIp> & object) => {
      const block = parsed[i]!;
      if (block.ip.family !== ip.family) return false;
      for (let bit = 0; bit < block.prefix; bit++) {
        const w = bit >>> 5;
        const mask = 1 << (31 - (bit & 31));
        if (((block.ip.words[w]! & mask) !== 0) !== ((ip.words[w]! & mask) !== 0)) return false;
      }
      return true;
    };
    for (let probe = 0; probe < probeCount; probe++) {
      // Half the probes are the blocks' own addresses, so that deep matches are exercised.
      const text =
        probe % 2 === 0 ? blocks[Math.floor(random() * blocks.length)]!.split('/')[0]! : random() < 0.5 ? v4() : v6();
      const ip = parseIp(text)!;
      let best = -1;
      for (let i = 0; i < blocks.length; i++) {
        if (contains(i, ip) && (best === -1 || parsed[i]!.prefix > parsed[best]!.prefix)) best = i;
      }
      const expected = best === -1 ? null : blocks[best];
      // Duplicate blocks keep the first entry, which the scan also finds first.
      expect(m.match(ip)).toBe(expected);
    }
  });
});
