import { describe, expect, it } from 'vitest';
import { event } from '../../../test/helpers.js';
import { aggregateEvents, packAggregate } from './aggregate.js';

const T = Date.UTC(2026, 2, 1, 23, 50);
const localDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const events = Array.from({ length: 60 }, (_, i) =>
  event({
    ts: T + i * 30_000, // crosses midnight and several quarters
    ip: `192.0.2.${i % 9}`,
    country: i % 3 === 0 ? null : i % 2 ? 'JP' : 'US',
    path: `/p/${i % 4}`,
    status: i % 5 === 0 ? 500 : i % 7 === 0 ? 404 : 200,
    rule: i % 6 === 0 ? 'probe:git' : null,
    botCategory: i % 8 === 0 ? 'scanner' : null,
    sampleRate: i % 10 === 0 ? 0.5 : 1,
  }),
);

describe('packed rollup aggregates', () => {
  it('packs rows in key order within each day and dimension, with their counters', () => {
    const packed = packAggregate('s', aggregateEvents(events, localDay));
    const dims: Record<string, string[]> = {};
    for (let i = 0; i < packed.days.length; ) {
      const [day, dim, count] = packed.days.slice(i, i + 3) as [string, string, number];
      i += 3;
      const keys: string[] = [];
      for (let r = 0; r < count; r++, i += 12) keys.push(packed.days[i] as string);
      expect(keys).toEqual([...keys].sort());
      dims[`${day} ${dim}`] = keys;
    }
    expect(dims['2026-03-02 ip']).toHaveLength(9);
    expect(dims['2026-03-01 path']).toEqual(['/p/0', '/p/1', '/p/2', '/p/3']);
    // 60 events, 6 of them weighted 2: 66 requests over the quarters.
    let requests = 0;
    for (let i = 0; i < packed.quarters.length; i += 11) requests += packed.quarters[i + 1]!;
    expect(requests).toBe(66);
  });
});
