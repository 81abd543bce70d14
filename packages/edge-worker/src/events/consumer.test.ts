import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { fakeReportApi, routeFetch, sampleBatch } from '../test-support/fakes.js';
import { consumeEventBatches, retryDelaySeconds } from './consumer.js';

function messages(bodies: unknown[], attempts = 1) {
  return bodies.map((body, index) => ({ id: `m${index}`, timestamp: new Date(1_000), attempts, body }));
}

describe('consumeEventBatches', () => {
  it('acks what the report API stored and retries what it could not take, keeping batch ids', async () => {
    const api = fakeReportApi();
    const batch = createMessageBatch(
      'watchpost-events',
      messages([sampleBatch('batch-aaaa'), sampleBatch('batch-bbbb')]),
    );
    await consumeEventBatches(batch, {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
    });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect(result.retryMessages).toEqual([]);
    expect(
      api
        .batches()
        .map((b) => b.batchId)
        .sort(),
    ).toEqual(['batch-aaaa', 'batch-bbbb']);

    api.state.eventsStatus = 503;
    const second = createMessageBatch('watchpost-events', messages([sampleBatch('batch-cccc')], 3));
    // The test queue records retries but not their delay: watch the call itself.
    const retry = vi.spyOn(second.messages[0]!, 'retry');
    await consumeEventBatches(second, {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
    });
    const retried = await getQueueResult(second, createExecutionContext());
    expect(retried.explicitAcks).toEqual([]);
    expect(retried.retryMessages).toMatchObject([{ msgId: 'm0' }]);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: 40 });
  });

  it('acks and logs a message that is not a batch, or a batch the API rejects', async () => {
    const api = fakeReportApi();
    api.state.eventsStatus = 400;
    const logs: string[] = [];
    const batch = createMessageBatch('watchpost-events', messages([{ hello: 'world' }, sampleBatch('batch-dddd')]));
    await consumeEventBatches(batch, {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
      log: (m) => logs.push(m),
    });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect(logs.join('\n')).toMatch(/not an event batch[\s\S]*rejected batch batch-dddd/);
  });

  it.each([
    ['Retry-After 30', '30', 30],
    ['Retry-After 0 (at least 1 s)', '0', 1],
    ['Retry-After an hour (capped at the queue limit)', '3600', 600],
  ])("retries a rate-limited batch (429) after the API's %s", async (_name, header, seconds) => {
    const api = fakeReportApi();
    api.state.eventsStatus = 429;
    api.state.eventsHeaders = { 'retry-after': header };
    const batch = createMessageBatch('watchpost-events', messages([sampleBatch('batch-eeee')], 5));
    const retry = vi.spyOn(batch.messages[0]!, 'retry');
    await consumeEventBatches(batch, {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
    });
    expect(retry).toHaveBeenCalledWith({ delaySeconds: seconds });
  });

  it('acks a batch the API stored in part and logs how many events it refused', async () => {
    const api = fakeReportApi();
    api.state.eventsBody = '{"accepted":0,"rejected":1,"details":[]}';
    const logs: string[] = [];
    const batch = createMessageBatch('watchpost-events', messages([sampleBatch('batch-ffff')]));
    await consumeEventBatches(batch, {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
      log: (m) => logs.push(m),
    });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toEqual(['m0']);
    expect(logs).toEqual([expect.stringMatching(/refused 1 event\(s\) of batch batch-ffff/)]);
  });

  it('forwards a batch holding one event the protocol refuses, for the API to store the others', async () => {
    const api = fakeReportApi();
    const body = sampleBatch('batch-gggg');
    const poisoned = { ...body, events: [...body.events, { ...body.events[0], ip: 'unknown', ua: 'x\x85' }] };
    const batch = createMessageBatch('watchpost-events', messages([poisoned]));
    await consumeEventBatches(batch, {
      reportApiUrl: new URL(api.base),
      ingestKey: 'test-ingest-key',
      fetch: routeFetch(api),
      log: () => {},
    });
    expect(api.batches().map((b) => [b.batchId, b.events.length])).toEqual([['batch-gggg', 2]]);
  });

  it('keeps everything in the queue while the report API is not configured', async () => {
    const batch = createMessageBatch('watchpost-events', messages([sampleBatch()]));
    const retryAll = vi.spyOn(batch, 'retryAll');
    await consumeEventBatches(batch, {
      reportApiUrl: null,
      ingestKey: null,
      fetch: async () => new Response(),
      log: () => {},
    });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.retryBatch).toMatchObject({ retry: true });
    expect(retryAll).toHaveBeenCalledWith({ delaySeconds: 60 });
  });

  it.each([
    [1, 10],
    [2, 20],
    [4, 80],
    [7, 600],
    [30, 600],
  ])('attempt %i waits %i s', (attempts, seconds) => {
    expect(retryDelaySeconds(attempts)).toBe(seconds);
  });
});
