import { describe, expect, it } from 'vitest';
import { parseAuditQuery } from './query.js';

describe('parseAuditQuery', () => {
  it.each([
    ['nothing', {}, { since: 0, limit: 100, cursor: null }],
    ['epoch ms', { since: '1796083200000' }, { since: 1796083200000, limit: 100, cursor: null }],
    ['a date', { since: '2026-12-01' }, { since: Date.UTC(2026, 11, 1), limit: 100, cursor: null }],
    [
      'a time with offset',
      { since: '2026-12-01T09:00:00+09:00' },
      { since: Date.UTC(2026, 11, 1), limit: 100, cursor: null },
    ],
    ['limit and cursor', { limit: '500', cursor: '17.3' }, { since: 0, limit: 500, cursor: '17.3' }],
  ])('takes %s', (_name, raw, expected) => {
    expect(parseAuditQuery(raw)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ['a word', { since: 'yesterday' }, 'since'],
    ['an impossible date', { since: '2026-13-45' }, 'since'],
    ['a huge number', { since: '9'.repeat(30) }, 'since'],
    ['a negative number', { since: '-1' }, 'since'],
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 501', { limit: '501' }, 'limit'],
    ['limit in exponent form', { limit: '1e2' }, 'limit'],
    ['a prototype name as cursor', { cursor: '__proto__' }, 'cursor'],
    ['SQL as cursor', { cursor: "1.1' OR '1'='1" }, 'cursor'],
  ])('refuses %s', (_name, raw, field) => {
    expect(parseAuditQuery(raw)).toMatchObject({ ok: false, field });
  });
});
