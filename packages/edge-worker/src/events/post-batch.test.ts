import { describe, expect, it } from 'vitest';
import { fakeReportApi, routeFetch, sampleBatch } from '../test-support/fakes.js';
import { postBatch } from './post-batch.js';

describe('postBatch', () => {
  it('posts gzip JSON with the ingest key and the same batchId', async () => {
    const api = fakeReportApi();
    const result = await postBatch(sampleBatch(), {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
    });
    expect(result).toEqual({ outcome: 'stored', status: 202 });
    const [request] = api.seen;
    expect(request?.url).toBe('https://report.test/v1/events');
    expect(request?.headers.get('content-encoding')).toBe('gzip');
    expect(request?.headers.get('authorization')).toBe('Bearer test-ingest-key');
    expect(api.batches()[0]).toMatchObject({
      batchId: 'batch-0001',
      source: 'edge-worker',
      events: [{ ip: '203.0.113.7' }],
    });
  });

  it.each([
    [500, 'retry'],
    [503, 'retry'],
    [429, 'retry'],
    [401, 'retry'],
    [400, 'rejected'],
    [413, 'rejected'],
  ])('a %i answer means %s', async (status, outcome) => {
    const api = fakeReportApi();
    api.state.eventsStatus = status;
    const result = await postBatch(sampleBatch(), {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
    });
    expect(result).toMatchObject({ outcome, status });
  });

  it('counts the events a 202 says were rejected (stored, not to be retried)', async () => {
    const api = fakeReportApi();
    api.state.eventsBody = '{"accepted":0,"rejected":1,"details":[{"index":0,"reason":"ip"}]}';
    const result = await postBatch(sampleBatch(), {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
    });
    expect(result).toEqual({ outcome: 'stored', status: 202, rejected: 1 });
  });

  it.each([
    ['429', 429, '7', 7_000],
    ['503', 503, '2', 2_000],
  ])('a %s with Retry-After means retry after it', async (_name, status, header, ms) => {
    const api = fakeReportApi();
    api.state.eventsStatus = status;
    api.state.eventsHeaders = { 'retry-after': header };
    const result = await postBatch(sampleBatch(), {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
    });
    expect(result).toMatchObject({ outcome: 'retry', status, retryAfterMs: ms });
  });

  it('a network failure means retry, and never throws', async () => {
    const result = await postBatch(sampleBatch(), {
      reportApiUrl: new URL('https://report.test'),
      ingestKey: 'k',
      fetch: async () => {
        throw new TypeError('connection refused');
      },
    });
    expect(result).toMatchObject({ outcome: 'retry', status: 0, reason: expect.stringMatching(/connection refused/) });
  });

  it('gives up on a hanging API after the timeout', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const result = await postBatch(sampleBatch(), {
      reportApiUrl: new URL('https://report.test'),
      ingestKey: 'k',
      fetch: hanging,
      timeoutMs: 50,
    });
    expect(result.outcome).toBe('retry');
  });

  it('keeps a path prefix of the report API URL, as the direct-mode forwarder does', async () => {
    const urls: string[] = [];
    const recording: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(null, { status: 202 });
    };
    await postBatch(sampleBatch(), {
      reportApiUrl: new URL('https://report.test/watchpost/'),
      ingestKey: 'k',
      fetch: recording,
    });
    expect(urls).toEqual(['https://report.test/watchpost/v1/events']);
  });
});
