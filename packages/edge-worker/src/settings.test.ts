import { describe, expect, it } from 'vitest';
import { readSettings } from './settings.js';

const base = { ORIGIN_URL: 'https://origin.test', REPORT_API_URL: 'https://report.test', INGEST_KEY: 'k' };

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    const settings = readSettings(base);
    expect(settings.originUrl.href).toBe('https://origin.test/');
    expect(settings.reportApiUrl?.href).toBe('https://report.test/');
    expect(settings).toMatchObject({
      ingestKey: 'k',
      mode: 'block',
      sampleRate: 1,
      denyListTtlMs: 30_000,
      eventsBatchSize: 100,
      eventsFlushMs: 5_000,
      bursts: { threshold: 100, windowMs: 30_000, banMs: 14_400_000, statuses: 'errors' },
    });
  });

  it('reads every optional var', () => {
    const settings = readSettings({
      ...base,
      WATCHPOST_MODE: 'count',
      SAMPLE_RATE: '0.25',
      DENYLIST_TTL_MS: '1000',
      EVENTS_BATCH_SIZE: '10',
      EVENTS_FLUSH_MS: '0',
      BURST_THRESHOLD: '50',
      BURST_WINDOW_MS: '60000',
      BAN_MS: '3600000',
      BURST_STATUSES: '4xx',
    });
    expect(settings).toMatchObject({
      mode: 'count',
      sampleRate: 0.25,
      denyListTtlMs: 1000,
      eventsBatchSize: 10,
      eventsFlushMs: 0,
      bursts: { threshold: 50, windowMs: 60_000, banMs: 3_600_000, statuses: '4xx' },
    });
  });

  it.each([
    ['ORIGIN_URL missing', { ORIGIN_URL: '' }, /ORIGIN_URL is required/],
    ['ORIGIN_URL not a URL', { ORIGIN_URL: 'origin.test' }, /ORIGIN_URL .*"origin.test"/],
    ['ORIGIN_URL not http', { ORIGIN_URL: 'ftp://origin.test' }, /ORIGIN_URL must be an http/],
    ['REPORT_API_URL junk', { REPORT_API_URL: '::' }, /REPORT_API_URL/],
    ['mode unknown', { WATCHPOST_MODE: 'monitor' }, /WATCHPOST_MODE .*"monitor"/],
    ['sample rate 0', { SAMPLE_RATE: '0' }, /SAMPLE_RATE must be greater than 0/],
    ['sample rate above 1', { SAMPLE_RATE: '2' }, /SAMPLE_RATE .*"2"/],
    ['flush past waitUntil', { EVENTS_FLUSH_MS: '60000' }, /EVENTS_FLUSH_MS/],
    ['burst statuses unknown', { BURST_STATUSES: '5xx' }, /BURST_STATUSES .*"5xx"/],
    ['threshold not a number', { BURST_THRESHOLD: 'many' }, /BURST_THRESHOLD .*"many"/],
    ['threshold not whole', { BURST_THRESHOLD: '2.5' }, /BURST_THRESHOLD must be an integer .*"2.5"/],
    ['batch size not whole', { EVENTS_BATCH_SIZE: '1.5' }, /EVENTS_BATCH_SIZE must be an integer .*"1.5"/],
  ])('rejects %s with a TypeError naming it', (_name, override, message) => {
    expect(() => readSettings({ ...base, ...override })).toThrow(TypeError);
    expect(() => readSettings({ ...base, ...override })).toThrow(message);
  });

  it('turns reporting off when the URL or the key is missing', () => {
    expect(readSettings({ ...base, INGEST_KEY: '' })).toMatchObject({ reportApiUrl: null, ingestKey: null });
    expect(readSettings({ ...base, REPORT_API_URL: undefined })).toMatchObject({ reportApiUrl: null, ingestKey: null });
  });
});
