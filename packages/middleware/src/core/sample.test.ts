import { describe, expect, it } from 'vitest';
import { createSampler } from './sample.js';

describe('createSampler', () => {
  it.each([
    ['block', 403, 1],
    ['count', 200, 1],
    ['allow', 404, 1],
    ['allow', 503, 1],
    ['allow', 0, 1],
  ] as const)('keeps %s with status %i at rate %d whatever random says', (action, status, rate) => {
    const sample = createSampler({ sampleRate: 0.01, random: () => 0.999 });
    expect(sample(action, status)).toBe(rate);
  });

  it('keeps allowed 2xx when random is below the rate, at that rate', () => {
    const values = [0.05, 0.2, 0.0999, 0.1];
    const sample = createSampler({ sampleRate: 0.1, random: () => values.shift()! });
    expect([sample('allow', 200), sample('allow', 200), sample('allow', 301), sample('allow', 200)]).toEqual([
      0.1, 0, 0.1, 0,
    ]);
  });

  it('keeps about sampleRate of allowed traffic with a real random source', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const sample = createSampler({ sampleRate: 0.25, random });
    let kept = 0;
    for (let i = 0; i < 10_000; i++) if (sample('allow', 200) > 0) kept++;
    expect(kept).toBeGreaterThan(2_300);
    expect(kept).toBeLessThan(2_700);
  });

  it.each([0, -0.1, 1.5, Number.NaN, '0.5'])('rejects sampleRate %s', (rate) => {
    expect(() => createSampler({ sampleRate: rate as number, random: Math.random })).toThrow(/options\.sampleRate/);
  });
});

describe('createSampler and login attempts', () => {
  it('keeps every login attempt, even an allowed 200 at a low sample rate', () => {
    const sample = createSampler({ sampleRate: 0.01, random: () => 0.999 });
    expect(sample('allow', 200, true)).toBe(1);
    expect(sample('allow', 200, false)).toBe(0);
  });
});
