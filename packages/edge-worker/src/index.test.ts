import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker, { BurstsDurableObject } from './index.js';

describe('the entry module', () => {
  it('exports the three handlers and the Durable Object class wrangler.jsonc names', () => {
    expect(typeof worker.fetch).toBe('function');
    expect(typeof worker.scheduled).toBe('function');
    expect(typeof worker.queue).toBe('function');
    expect(typeof BurstsDurableObject).toBe('function');
  });

  it('skips the deny-list pull, without throwing, when the report API is not configured', async () => {
    const ctx = createExecutionContext();
    const env = { ORIGIN_URL: 'https://origin.test' };
    await expect(worker.scheduled(createScheduledController(), env, ctx)).resolves.toBeUndefined();
    await waitOnExecutionContext(ctx);
  });
});
