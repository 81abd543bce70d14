import { describe, expect, it } from 'vitest';
import { createPendingCounts } from './pending.js';

describe('createPendingCounts', () => {
  it('sums errors per client and hands them over once', () => {
    const pending = createPendingCounts({ maxClients: 10 });
    pending.add('a', 1_000);
    pending.add('b', 1_005);
    pending.add('a', 1_010);
    expect({ size: pending.size, errors: pending.errors, since: pending.since }).toEqual({
      size: 2,
      errors: 3,
      since: 1_000,
    });
    const batch = pending.take();
    expect([...batch.counts]).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(batch).toMatchObject({ errors: 3, since: 1_000 });
    expect({ size: pending.size, errors: pending.errors }).toEqual({ size: 0, errors: 0 });
    pending.add('c', 2_000);
    expect(pending.take().since).toBe(2_000);
  });

  it('drops errors of new clients past maxClients while held clients keep counting', () => {
    const pending = createPendingCounts({ maxClients: 2 });
    expect(pending.add('a', 0)).toBe(true);
    expect(pending.add('b', 0)).toBe(true);
    expect(pending.add('c', 0)).toBe(false);
    expect(pending.add('a', 0)).toBe(true);
    expect([...pending.take().counts]).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(pending.add('c', 0)).toBe(true);
  });
});
