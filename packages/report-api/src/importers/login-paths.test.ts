import { describe, expect, it } from 'vitest';
import type { WatchpostEvent } from '@watchpost/middleware/protocol';
import { importedLogin, parseLoginPaths } from './login-paths.js';

describe('parseLoginPaths', () => {
  it('reads a method and a path, or a path alone', () => {
    expect(parseLoginPaths(['POST:/login', '/api/session', 'post:/x'])).toEqual([
      { method: 'POST', path: '/login' },
      { method: null, path: '/api/session' },
      { method: 'POST', path: '/x' },
    ]);
  });

  it('refuses control bytes, 10k characters, a path without / and non-strings, naming the option', () => {
    expect(() => parseLoginPaths(['POST:/log\u0000in'])).toThrow(/--login-path must not contain control/);
    expect(() => parseLoginPaths(['/\n'], 'loginPath')).toThrow(/loginPath must not contain control/);
    expect(() => parseLoginPaths(['/' + 'a'.repeat(10_000)])).toThrow(/--login-path is over 2048 characters/);
    expect(() => parseLoginPaths(['login'])).toThrow(/must start with \//);
    expect(() => parseLoginPaths(['PO ST:/login'])).toThrow(/malformed method/);
    expect(() => parseLoginPaths([42])).toThrow(TypeError);
  });
});

describe('importedLogin', () => {
  const paths = parseLoginPaths(['POST:/login', '/signin']);
  it('marks 401/403 as failed, other statuses below 500 as success, and skips 5xx', () => {
    expect(importedLogin(paths, 'POST', '/login', 401)).toEqual({ outcome: 'failed', account: null });
    expect(importedLogin(paths, 'post', '/login?next=/', 403)).toEqual({ outcome: 'failed', account: null });
    expect(importedLogin(paths, 'POST', '/login', 302)).toEqual({ outcome: 'success', account: null });
    expect(importedLogin(paths, 'GET', '/signin', 200)).toEqual({ outcome: 'success', account: null });
    expect(importedLogin(paths, 'POST', '/login', 502)).toBeUndefined();
  });

  it.each([
    ['an AWS WAF BLOCK (403)', 403, 'block', 'failed'],
    ['a WAF CHALLENGE answered 202', 202, 'block', 'failed'],
    ['a block with a custom 200 response', 200, 'block', 'failed'],
    ['a block whatever the status (0)', 0, 'block', 'failed'],
    ['an AWS WAF ALLOW (no origin status)', 0, 'allow', null],
    ['an AWS WAF COUNT (no origin status)', 0, 'count', null],
    ['a client that hung up (ALB 460, nginx 499)', 0, 'allow', null],
    ['a counted request the app answered 401', 401, 'count', 'failed'],
  ] as const)('%s', (_name, status, action, outcome) => {
    expect(importedLogin(paths, 'POST', '/login', status, action)?.outcome ?? null).toBe(outcome);
  });

  it('leaves other methods and paths alone', () => {
    expect(importedLogin(paths, 'GET', '/login', 401)).toBeUndefined();
    expect(importedLogin(paths, 'POST', '/login/extra', 401)).toBeUndefined();
    expect(importedLogin([], 'POST', '/login', 401)).toBeUndefined();
  });
});

describe('importStream with loginPaths', () => {
  it('marks combined-log requests to a login path from their status alone', async () => {
    const { importStream } = await import('./stream.js');
    const now = Date.now();
    const when = new Date(now - 60_000)
      .toUTCString()
      .replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
    const line = (path: string, status: number) =>
      `203.0.113.5 - - [${when}] "POST ${path} HTTP/1.1" ${status} 10 "-" "x"`;
    const batches: WatchpostEvent[][] = [];
    const log = [line('/login', 401), line('/login', 302), line('/other', 401), line('/login', 503)].join('\n');
    await importStream([log], {
      siteId: 's1',
      format: 'combined',
      loginPaths: parseLoginPaths(['POST:/login']),
      ingest: async (_site, batch) => (batches.push(batch.events), { accepted: batch.events.length, duplicate: false }),
    });
    expect(batches.flat().map((e) => e.login ?? null)).toEqual([
      { outcome: 'failed', account: null },
      { outcome: 'success', account: null },
      null,
      null,
    ]);
  });
});
