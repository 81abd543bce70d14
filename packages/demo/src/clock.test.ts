import { describe, expect, it } from 'vitest';
import { createSimulatedClock } from './clock.js';

describe('createSimulatedClock', () => {
  it('moves only forward while the day plays', () => {
    const clock = createSimulatedClock(1_000, () => 0);
    clock.advanceTo(5_000);
    clock.advanceTo(4_000);
    expect(clock.now()).toBe(5_000);
  });

  it('follows the wall clock once released, still never going back', () => {
    let wall = 3_000;
    const clock = createSimulatedClock(1_000, () => wall);
    clock.advanceTo(5_000);
    clock.release();
    expect(clock.now()).toBe(5_000);
    wall = 9_000;
    expect(clock.now()).toBe(9_000);
  });

  it('rejects a start that is not a number', () => {
    expect(() => createSimulatedClock(Number.NaN)).toThrow(TypeError);
  });
});
