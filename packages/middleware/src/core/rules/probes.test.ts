import { describe, expect, it } from 'vitest';
import { compileProbes, DEFAULT_PROBES, WORDPRESS_PROBES, type ProbeInput } from './probes.js';

const site = { mode: 'block' as const, wordpress: false };

describe('compileProbes (defaults)', () => {
  const probe = compileProbes(undefined, site);
  it.each([
    ['/.env', 'probe:/.env'],
    ['/.env.production', 'probe:/.env'],
    ['/api/.ENV', 'probe:/.env'],
    ['/.git/config', 'probe:/.git/'],
    ['/wp-login.php', 'probe:/wp-login.php'],
    ['/blog/wp-admin/setup-config.php', 'probe:/wp-admin'],
    ['/phpMyAdmin/index.php', 'probe:/phpmyadmin'],
    ['/.aws/credentials', 'probe:/.aws/'],
    ['/server-status', 'probe:/server-status'],
    ['/xmlrpc.php', 'probe:/xmlrpc.php'],
    ['/static/.DS_Store', 'probe:/.DS_Store'],
    ['/files/../../etc/shadow', 'probe:path-traversal'],
    ['/files/..', 'probe:path-traversal'],
    ['/files/%2e%2e/%2e%2e/secret', 'probe:path-traversal'],
    ['/files/.%2E/x', 'probe:path-traversal'],
    ['/files%2f..%2fsecret', 'probe:path-traversal'],
    ['/files/..\\windows', 'probe:path-traversal'],
    ['/files/%252e%252e/x', 'probe:path-traversal'],
  ])('%s is %s', (path, rule) => {
    expect(probe(path)).toEqual({ rule, mode: 'block' });
  });

  it.each([
    '/',
    '/products/42',
    '/environment',
    '/blog/my..post',
    '/a.b.c/d',
    '/files/...hidden',
    '/git/readme',
    '/wp-json-like',
  ])('%s is no probe', (path) => {
    expect(probe(path)).toBeNull();
  });
});

describe('compileProbes (options)', () => {
  it('leaves WordPress paths alone on a WordPress site but still refuses wp-config.php', () => {
    const probe = compileProbes(undefined, { mode: 'block', wordpress: true });
    expect(probe('/wp-login.php')).toBeNull();
    expect(probe('/wp-admin/')).toBeNull();
    expect(probe('/wp-config.php')).toEqual({ rule: 'probe:/wp-config.php', mode: 'block' });
  });

  it('takes a replacement list, extra paths, exact and prefix rules with their own modes', () => {
    const probe = compileProbes(
      {
        paths: [{ pattern: '/admin', match: 'prefix', mode: 'count', name: 'admin-area' }],
        extraPaths: [{ pattern: '/debug', match: 'exact' }],
        pathTraversal: false,
      },
      site,
    );
    expect(probe('/admin/users')).toEqual({ rule: 'admin-area', mode: 'count' });
    expect(probe('/shop/admin')).toBeNull();
    expect(probe('/debug')).toEqual({ rule: 'probe:/debug', mode: 'block' });
    expect(probe('/debug/x')).toBeNull();
    expect(probe('/.env')).toBeNull();
    expect(probe('/../x')).toBeNull();
  });

  it('inherits the global mode and can be turned off', () => {
    expect(compileProbes(undefined, { mode: 'count', wordpress: false })('/.env')).toEqual({
      rule: 'probe:/.env',
      mode: 'count',
    });
    expect(compileProbes({ mode: 'count', pathTraversal: 'block' }, site)('/a/../b')).toEqual({
      rule: 'probe:path-traversal',
      mode: 'block',
    });
    expect(compileProbes(false, site)('/.env')).toBeNull();
  });

  it('escapes regular-expression characters in patterns', () => {
    const probe = compileProbes({ paths: ['/a+b(1).php'] }, site);
    expect(probe('/a+b(1).php')).not.toBeNull();
    expect(probe('/aab1.php')).toBeNull();
  });

  it.each([
    [{ paths: [''] }, /options\.probes\.paths\[0\]/],
    [{ paths: [{ pattern: '/x', match: 'glob' }] }, /options\.probes\.paths\[0\]\.match/],
    [{ extraPaths: [{ pattern: '/x', mode: 'deny' }] }, /options\.probes\.extraPaths\[0\]\.mode/],
    [{ paths: '/x' }, /options\.probes\.paths must be an array/],
    [{ mode: 'off' }, /options\.probes\.mode/],
  ])('rejects %j', (options, message) => {
    expect(() => compileProbes(options as never, site)).toThrow(message);
  });
});

describe('compileProbes against each rule tried in turn', () => {
  // The matcher reads a path once for every probe and traversal together; its answer must be the
  // first probe that matches, in order, else traversal, whatever the path.
  const pieces = [
    '/',
    '.',
    '..',
    '%2e',
    '%2E',
    '%2f',
    '%252e',
    '\\',
    'env',
    '.env',
    'git/',
    'a',
    'Wp-Admin',
    '?',
    '//',
  ];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % pieces.length;
  const paths = Array.from({ length: 3000 }, () => {
    let path = '/';
    for (let n = next() % 8; n >= 0; n--) path += pieces[next()];
    return path;
  });
  const lists: Array<[string, ProbeInput[], boolean]> = [
    ['the defaults', [...DEFAULT_PROBES, ...WORDPRESS_PROBES], true],
    ['no traversal', ['/.env', '/.git/'], false],
    ['traversal only', [], true],
    ['exact and prefix', [{ pattern: '/a', match: 'exact' }, { pattern: '//', match: 'prefix' }, '.env'], true],
  ];
  it.each(lists)('%s', (_name, list, pathTraversal) => {
    const probe = compileProbes({ paths: list, pathTraversal }, site);
    const each = list.map((rule) => compileProbes({ paths: [rule], pathTraversal: false }, site));
    const traversal = compileProbes({ paths: [], pathTraversal }, site);
    let hits = 0;
    for (const path of paths) {
      const expected = each.map((one) => one(path)).find((hit) => hit !== null) ?? traversal(path);
      expect(probe(path), path).toEqual(expected);
      if (expected !== null) hits++;
    }
    if (list.length > 0 || pathTraversal) expect(hits).toBeGreaterThan(100);
  });
});

describe('compileProbes on hostile paths', () => {
  // One expression reads the path for every probe and traversal: it must stay linear on paths built
  // from the pieces it looks for, which no probe completes.
  const probe = compileProbes(undefined, site);
  it.each([
    ['/.' + 'e'.repeat(3), 4096],
    ['%2e%2f'.slice(0, 5), 8192],
    ['/.en', 4096],
    ['/wp-admi', 4096],
    ['.%25', 4096],
  ])('%j repeated %i times is read in well under 20 ms', (piece, times) => {
    const path = `/x${piece.repeat(times)}`;
    probe(path); // compiled and warmed
    const start = performance.now();
    const hit = probe(path);
    expect(performance.now() - start).toBeLessThan(20);
    expect(hit?.rule ?? null).not.toBe('probe:/wp-admin');
  });
});
