// The classifier on lists it was not built from (see holdout.ts). Floors, not targets: the figures are
// printed by `npx tsx bench/bots.bench.ts`; a change that lowers them fails here.
import { describe, expect, it } from 'vitest';
import { createUaClassifier } from '../../src/core/bots/classify.js';
import { browserUserAgents, heldOutBots, scoreHoldout } from './holdout.js';

describe('held-out bots and browsers', () => {
  const score = scoreHoldout(createUaClassifier(), heldOutBots(), browserUserAgents());

  it('recognises at least 99% of the named bots as bots', () => {
    expect(score.bots).toBeGreaterThan(1000);
    expect(score.botRecall).toBeGreaterThanOrEqual(0.99);
  });

  it('takes at most 2% of real browsers for bots', () => {
    expect(score.browsers).toBeGreaterThan(500);
    expect(score.browsersAsBots).toBeLessThanOrEqual(0.02);
  });

  it('puts at least 77% of the named bots in a category that agrees with the list', () => {
    expect(score.rightCategory).toBeGreaterThanOrEqual(0.77);
  });
});
