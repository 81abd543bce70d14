import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { denyEntry, fakeReportApi, routeFetch } from '../test-support/fakes.js';
import { pullDenyList } from './pull.js';
import { DENYLIST_KEY, parseStoredDenyList } from './stored.js';

const kv = env.DENYLIST;

async function stored() {
  return parseStoredDenyList(await kv.get(DENYLIST_KEY, 'json'));
}

describe('pullDenyList', () => {
  beforeEach(async () => {
    await kv.delete(DENYLIST_KEY);
  });

  function setup() {
    const api = fakeReportApi();
    const options = {
      kv,
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
      now: () => 1_000,
    };
    return { api, options };
  }

  it('stores the list with its ETag, then costs a 304 and no write while it is unchanged', async () => {
    const { api, options } = setup();
    api.state.entries = [denyEntry('198.51.100.0/24')];
    api.state.version = 'v1';
    expect(await pullDenyList(options)).toMatchObject({
      outcome: 'updated',
      version: 'v1',
      entries: 1,
      stored: { version: 'v1' },
    });
    expect(await stored()).toMatchObject({
      version: 'v1',
      etag: '"v1"',
      fetchedAt: 1_000,
      entries: [{ value: '198.51.100.0/24' }],
    });
    expect(api.seen[0]?.headers.get('authorization')).toBe('Bearer test-ingest-key');

    expect(await pullDenyList({ ...options, now: () => 2_000 })).toEqual({ outcome: 'unchanged', version: 'v1' });
    expect(api.seen[1]?.headers.get('if-none-match')).toBe('"v1"');
    expect((await stored())?.fetchedAt).toBe(1_000);

    api.state.entries = [];
    api.state.version = 'v2';
    expect(await pullDenyList(options)).toMatchObject({ outcome: 'updated', version: 'v2', entries: 0 });
    expect((await stored())?.entries).toEqual([]);
  });

  it.each([
    [
      'the API is down',
      (api: ReturnType<typeof fakeReportApi>) => void (api.state.denyListStatus = 503),
      /answered 503/,
    ],
    ['the key is wrong', () => {}, /answered 401/],
  ])('keeps the stored list when %s', async (name, breakIt, reason) => {
    const { api, options } = setup();
    api.state.entries = [denyEntry('203.0.113.9')];
    await pullDenyList(options);
    breakIt(api);
    const result = await pullDenyList(name === 'the key is wrong' ? { ...options, ingestKey: 'wrong' } : options);
    expect(result.outcome).toBe('failed');
    expect(result.outcome === 'failed' && result.reason).toMatch(reason);
    expect((await stored())?.entries.map((entry) => entry.value)).toEqual(['203.0.113.9']);
  });

  it('keeps the stored list when the network fails or the body is not a deny list', async () => {
    const { api, options } = setup();
    api.state.entries = [denyEntry('203.0.113.9')];
    await pullDenyList(options);
    const refused = await pullDenyList({
      ...options,
      fetch: async () => {
        throw new TypeError('connection refused');
      },
    });
    expect(refused).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/connection refused/) });
    const junk = await pullDenyList({ ...options, fetch: async () => Response.json({ version: 3, entries: 'no' }) });
    expect(junk).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/not a deny list/) });
    expect((await stored())?.entries.map((entry) => entry.value)).toEqual(['203.0.113.9']);
  });

  it('writes nothing when a server without ETags sends the same version again', async () => {
    const { options } = setup();
    let calls = 0;
    const noEtag: typeof fetch = async () => {
      calls += 1;
      return Response.json({ version: 'same', entries: [denyEntry('192.0.2.1')] });
    };
    await pullDenyList({ ...options, fetch: noEtag, now: () => 5 });
    expect(await pullDenyList({ ...options, fetch: noEtag, now: () => 6 })).toEqual({
      outcome: 'unchanged',
      version: 'same',
    });
    expect(calls).toBe(2);
    expect((await stored())?.fetchedAt).toBe(5);
  });

  it('keeps a path prefix of the report API URL', async () => {
    const { options } = setup();
    const urls: string[] = [];
    const recording: typeof fetch = async (input) => {
      urls.push(String(input));
      return Response.json({ version: 'v1', entries: [] });
    };
    await pullDenyList({ ...options, reportApiUrl: new URL('https://report.test/watchpost'), fetch: recording });
    expect(urls).toEqual(['https://report.test/watchpost/v1/denylist']);
  });
});
