import { createEngine } from '@watchpost/middleware';
import { describe, expect, it } from 'vitest';
import { parseLogins, parseRateRules, toEngineRateRules } from './rate-settings.js';
import { readSettings } from './settings.js';

const rule = { name: 'scrapers', limit: 100, windowMs: 60_000 };
const json = (value: unknown) => JSON.stringify(value);

describe('parseRateRules', () => {
  it('is empty when the var is absent or blank', () => {
    expect(parseRateRules(undefined)).toEqual([]);
    expect(parseRateRules('  ')).toEqual([]);
    expect(readSettings({ ORIGIN_URL: 'https://o.test' })).toMatchObject({ rateRules: [], logins: null });
  });

  it('applies the contract defaults: key ip, block, 429, ban for one window', () => {
    expect(parseRateRules(json([rule]))).toEqual([
      { name: 'scrapers', limit: 100, windowMs: 60_000, key: 'ip', action: 'block', status: 429, banMs: 60_000 },
    ]);
  });

  it('keeps every field it is given', () => {
    const full = {
      ...rule,
      key: 'ip+path',
      action: 'count',
      status: 403,
      banMs: 900_000,
      match: { methods: ['GET'], paths: ['/products'], botCategories: ['search-engine', 'browser'] },
    };
    expect(parseRateRules(json([full]))).toEqual([full]);
  });

  it.each([
    ['not JSON', '[{', /RATE_RULES must be valid JSON/],
    ['not an array', json({ name: 'x' }), /RATE_RULES must be an array/],
    ['too long', json([{ ...rule, name: 'x'.repeat(20_000) }]), /at most 16384 characters/],
    ['a bad name', json([{ ...rule, name: 'Scrapers!' }]), /RATE_RULES\[0\]\.name must match/],
    ['markup in a name', json([{ ...rule, name: '<script>' }]), /RATE_RULES\[0\]\.name/],
    ['a duplicate name', json([rule, rule]), /RATE_RULES\[1\]\.name must be unique/],
    ['a zero limit', json([{ ...rule, limit: 0 }]), /RATE_RULES\[0\]\.limit must be an integer/],
    ['a huge limit', json([{ ...rule, limit: 1e300 }]), /RATE_RULES\[0\]\.limit/],
    ['a fractional limit', json([{ ...rule, limit: 2.5 }]), /RATE_RULES\[0\]\.limit/],
    ['a short window', json([{ ...rule, windowMs: 9_999 }]), /windowMs must be an integer between 10000 and 600000/],
    ['a long window', json([{ ...rule, windowMs: 600_001 }]), /windowMs/],
    ['a string window', json([{ ...rule, windowMs: '60000' }]), /windowMs/],
    ['an unknown key', json([{ ...rule, key: 'asn' }]), /\.key must be one of ip, ip\+path/],
    ['an unknown action', json([{ ...rule, action: 'ban' }]), /\.action must be one of block, count/],
    ['status 404', json([{ ...rule, status: 404 }]), /\.status must be one of 403, 429/],
    ['a typo field', json([{ ...rule, widnowMs: 1 }]), /RATE_RULES\[0\] has an unknown field/],
    ['a lower-case method', json([{ ...rule, match: { methods: ['get'] } }]), /match\.methods\[0\] is invalid/],
    ['a relative path', json([{ ...rule, match: { paths: ['api'] } }]), /match\.paths\[0\] is invalid/],
    ['a control byte', json([{ ...rule, match: { paths: ['/a\u0000b'] } }]), /match\.paths\[0\]/],
    ['an empty path list', json([{ ...rule, match: { paths: [] } }]), /match\.paths must be a non-empty array/],
    ['a bad category', json([{ ...rule, match: { botCategories: ['robots'] } }]), /botCategories\[0\] must be one/],
    ['a prototype category', json([{ ...rule, match: { botCategories: ['__proto__'] } }]), /botCategories\[0\]/],
    ['a ban past the engine bound', json([{ ...rule, banMs: 7 * 86_400_000 + 1 }]), /banMs must be an integer/],
  ])('rejects %s with a TypeError naming it', (_name, text, message) => {
    expect(() => parseRateRules(text)).toThrow(TypeError);
    expect(() => parseRateRules(text)).toThrow(message);
  });

  it('turns into rules the engine accepts, with no limit of their own when the Durable Object counts', () => {
    const parsed = parseRateRules(json([{ ...rule, match: { botCategories: ['seo', 'browser'], paths: ['/c'] } }]));
    const local = toEngineRateRules(parsed);
    expect(local[0]).toMatchObject({
      name: 'scrapers',
      limit: rule.limit,
      match: { botCategories: ['seo', 'browser'] },
    });
    expect(() => createEngine({ rateRules: local })).not.toThrow();
    expect(toEngineRateRules(parsed, { countElsewhere: true })[0]?.limit).toBe(1e9);
  });

  it('reaches the settings through RATE_RULES', () => {
    const settings = readSettings({ ORIGIN_URL: 'https://o.test', RATE_RULES: json([rule]) });
    expect(settings.rateRules.map((r) => r.name)).toEqual(['scrapers']);
  });
});

describe('parseLogins', () => {
  const login = { method: 'POST', path: '/login' };

  it('keeps an account field, and takes LOGIN_ACCOUNT_KEY only when it is long enough', () => {
    const text = json({ endpoints: [{ ...login, accountField: 'user.email' }] });
    expect(parseLogins(text)?.endpoints[0]?.accountField).toBe('user.email');
    const base = { ORIGIN_URL: 'https://o.test', LOGINS: text };
    expect(readSettings({ ...base, LOGIN_ACCOUNT_KEY: 'k'.repeat(16) }).loginAccountKey).toBe('k'.repeat(16));
    expect(readSettings(base).loginAccountKey).toBeNull();
    expect(() => readSettings({ ...base, LOGIN_ACCOUNT_KEY: 'short-secret' })).toThrow(
      /LOGIN_ACCOUNT_KEY must be at least 16 characters, got 12/,
    );
  });

  it('defaults failures to 401 and 403 and keeps detection thresholds', () => {
    const parsed = parseLogins(json({ endpoints: [login], stuffing: { limit: 3, windowMs: 60_000 }, spraying: false }));
    expect(parsed).toEqual({
      endpoints: [{ ...login, failedStatuses: [401, 403] }],
      stuffing: { limit: 3, windowMs: 60_000 },
      spraying: false,
    });
  });

  it.each([
    ['no endpoints', json({}), /LOGINS\.endpoints must be a non-empty array/],
    ['a lower-case method', json({ endpoints: [{ ...login, method: 'post' }] }), /endpoints\[0\]\.method/],
    ['a path with a space', json({ endpoints: [{ ...login, path: '/log in' }] }), /endpoints\[0\]\.path/],
    ['a 2xx as failure', json({ endpoints: [{ ...login, failedStatuses: [200] }] }), /failedStatuses\[0\]/],
    ['an unknown detection', json({ endpoints: [login], brute: false }), /LOGINS has an unknown field/],
    ['a bad mode', json({ endpoints: [login], bruteForce: { limit: 5, windowMs: 60_000, mode: 'ban' } }), /mode/],
    ['a zero limit', json({ endpoints: [login], stuffing: { limit: 0, windowMs: 60_000 } }), /stuffing\.limit/],
    ['an array', json([login]), /LOGINS must be an object/],
    ['a field with a space', json({ endpoints: [{ ...login, accountField: 'user name' }] }), /accountField/],
    ['a field that is a number', json({ endpoints: [{ ...login, accountField: 7 }] }), /accountField/],
    ['a 65-char field', json({ endpoints: [{ ...login, accountField: 'f'.repeat(65) }] }), /accountField/],
  ])('rejects %s with a TypeError naming it', (_name, text, message) => {
    expect(() => parseLogins(text)).toThrow(TypeError);
    expect(() => parseLogins(text)).toThrow(message);
  });
});
