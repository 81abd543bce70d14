import { describe, expect, it } from 'vitest';
import { createRequestClock } from './request-clock.js';

describe('createRequestClock', () => {
  it('turns the arrival reading into wall-clock time, reading the wall clock at most once a second', () => {
    let wall = 1_700_000_000_000;
    let reads = 0;
    const timeOf = createRequestClock(() => {
      reads++;
      return wall;
    });
    expect(timeOf(5_000)).toBe(wall);
    wall += 400;
    expect(timeOf(5_400)).toBe(1_700_000_000_400);
    expect(timeOf(5_999)).toBe(1_700_000_000_999);
    expect(reads).toBe(1);
    // A second later the offset is measured again: a step of the wall clock shows.
    wall = 1_700_000_060_000;
    expect(timeOf(6_000)).toBe(1_700_000_060_000);
    expect(reads).toBe(2);
  });

  it('measures again when a reading goes backwards', () => {
    let wall = 2_000;
    const timeOf = createRequestClock(() => wall);
    expect(timeOf(100)).toBe(2_000);
    wall = 2_050;
    expect(timeOf(50)).toBe(2_050);
  });

  it('measures on the first reading whatever its value', () => {
    const timeOf = createRequestClock(() => 42);
    expect(timeOf(-1e12)).toBe(42);
  });
});
