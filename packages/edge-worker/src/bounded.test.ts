import { describe, expect, it } from 'vitest';
import { bounded } from './bounded.js';

describe('bounded', () => {
  it.each([
    ['a value in time', Promise.resolve(null), null],
    ['a promise that never settles', new Promise<string>(() => {}), undefined],
  ])('answers %s', async (_name, promise, expected) => {
    expect(await bounded(promise as Promise<unknown>, 20)).toBe(expected);
  });

  it('passes a rejection on', async () => {
    await expect(bounded(Promise.reject(new Error('KV unavailable')), 20)).rejects.toThrow(/KV unavailable/);
  });
});
