import { describe, expect, it } from 'vitest';
import { watchpost } from '../../express/index.js';
import { watchpostFetch } from '../../hono/fetch.js';
import { watchpost as honoWatchpost } from '../../hono/middleware.js';
import { checkReportApiOptions, parseReportApiUrl } from './report-api-options.js';
import { createForwarder } from './forwarder.js';

describe('parseReportApiUrl', () => {
  it.each([
    ['https://watchpost.example', 'https://watchpost.example'],
    ['https://watchpost.example/', 'https://watchpost.example'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://[::1]:65535/base/', 'http://[::1]:65535/base'],
    ['HTTPS://Watchpost.Example', 'https://watchpost.example'],
  ])('accepts %s as %s', (input, base) => {
    expect(parseReportApiUrl(input, 'reportApi.url')).toBe(base);
  });

  it.each([
    ['port over 65535', 'http://127.0.0.1:99999'],
    ['port 0', 'http://127.0.0.1:0'],
    ['huge port', 'http://127.0.0.1:1e308'],
    ['ftp scheme', 'ftp://watchpost.example'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['no scheme', 'watchpost.example'],
    ['empty', ''],
    ['credentials', 'https://user:pass@watchpost.example'],
    ['query', 'https://watchpost.example/?x=1'],
    ['fragment', 'https://watchpost.example/#x'],
    ['newline inside', 'https://watch\npost.example'],
    ['NUL byte', 'https://watchpost.example\u0000'],
    ['leading space', ' https://watchpost.example'],
    ['too long', `https://${'a'.repeat(3000)}.example`],
    ['not a string', 8787],
  ])('refuses %s', (_name, input) => {
    expect(() => parseReportApiUrl(input, 'reportApi.url')).toThrow(TypeError);
    expect(() => parseReportApiUrl(input, 'reportApi.url')).toThrow(/^reportApi\.url must be an http\(s\) URL/);
  });
});

describe('checkReportApiOptions', () => {
  const ok = { url: 'https://watchpost.example', ingestKey: 'wpi_abc' };
  it.each([
    ['url', { ...ok, url: 'http://127.0.0.1:99999' }, /reportApi\.url/],
    ['empty ingestKey', { ...ok, ingestKey: '' }, /reportApi\.ingestKey/],
    ['ingestKey with a newline', { ...ok, ingestKey: 'wpi_a\nX-Injected: 1' }, /reportApi\.ingestKey/],
    ['ingestKey not a string', { ...ok, ingestKey: 42 }, /reportApi\.ingestKey .*got number/],
    ['syncIntervalMs 0', { ...ok, syncIntervalMs: 0 }, /reportApi\.syncIntervalMs/],
    ['syncIntervalMs Infinity', { ...ok, syncIntervalMs: Infinity }, /reportApi\.syncIntervalMs/],
    ['syncIntervalMs NaN', { ...ok, syncIntervalMs: NaN }, /reportApi\.syncIntervalMs/],
    ['syncWaitS 31', { ...ok, syncWaitS: 31 }, /reportApi\.syncWaitS/],
    ['fetch not a function', { ...ok, fetch: 'fetch' }, /reportApi\.fetch/],
    ['forwarder null', { ...ok, forwarder: null }, /reportApi\.forwarder must be an object/],
    ['flushIntervalMs -1', { ...ok, forwarder: { flushIntervalMs: -1 } }, /reportApi\.forwarder\.flushIntervalMs/],
    ['timeoutMs Infinity', { ...ok, forwarder: { timeoutMs: Infinity } }, /reportApi\.forwarder\.timeoutMs/],
    ['backoffMs past setTimeout', { ...ok, forwarder: { backoffMs: 2 ** 31 } }, /reportApi\.forwarder\.backoffMs/],
    ['not an object', 'https://watchpost.example', /options\.reportApi must be an object/],
  ])('refuses %s with a TypeError naming it', (_name, reportApi, message) => {
    expect(() => checkReportApiOptions(reportApi as never)).toThrow(TypeError);
    expect(() => checkReportApiOptions(reportApi as never)).toThrow(message);
  });

  it('accepts the documented defaults and manual flush', () => {
    expect(() => checkReportApiOptions({ ...ok, syncWaitS: 0, forwarder: { flushIntervalMs: 0 } })).not.toThrow();
  });
});

describe('at construction', () => {
  it('the Express middleware throws on http://127.0.0.1:99999, even with its own sink', () => {
    const sink = { push() {}, flush: async () => {}, close: async () => {} };
    expect(() => watchpost({ reportApi: { url: 'http://127.0.0.1:99999', ingestKey: 'wpi_x' } })).toThrow(
      /^reportApi\.url must be an http\(s\) URL/,
    );
    expect(() =>
      watchpost({ sink, reportApi: { url: 'http://127.0.0.1:99999', ingestKey: 'wpi_x' } } as never),
    ).toThrow(TypeError);
  });

  it('the Hono middleware and watchpostFetch throw on it too', () => {
    const reportApi = { url: 'http://127.0.0.1:99999', ingestKey: 'wpi_x' };
    expect(() => honoWatchpost({ reportApi })).toThrow(/^reportApi\.url must be an http\(s\) URL/);
    expect(() => watchpostFetch(() => new Response('ok'), { reportApi })).toThrow(/^reportApi\.url/);
  });

  it('createForwarder refuses an infinite timeout and a bad URL before any fetch', () => {
    let calls = 0;
    const fetch = (async () => (calls++, new Response(null, { status: 202 }))) as typeof globalThis.fetch;
    const base = { url: 'https://watchpost.example', ingestKey: 'k', source: 'express' as const, fetch };
    expect(() => createForwarder({ ...base, timeoutMs: Infinity })).toThrow(/options\.timeoutMs/);
    expect(() => createForwarder({ ...base, url: 'https://watchpost.example:70000' })).toThrow(/options\.url/);
    expect(calls).toBe(0);
  });
});
