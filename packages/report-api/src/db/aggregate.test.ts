import { describe, expect, it } from 'vitest';
import { event } from '../../test/helpers.js';
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
    for (let i = 0; i < packed.days.length;) {
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

  it('folds 4xx+5xx into 5-s buckets, site-wide and per IP, packed in (start, ip) order', () => {
    const at = (ms: number, ip: string, status: number, sampleRate = 1) =>
      event({ ts: T + ms, ip, status, sampleRate });
    const agg = aggregateEvents(
      [
        at(4_999, '192.0.2.9', 404),
        at(0, '192.0.2.10', 500, 0.25),
        at(5_000, '192.0.2.9', 503),
        at(1, '192.0.2.9', 200),
        at(2_000, '192.0.2.9', 499),
        at(9_999, '192.0.2.10', 600),
        at(3_000, '2001:db8::1', 400),
      ],
      localDay,
    );
    const packed = packAggregate('s', agg);
    expect(packed.errors).toEqual([T, 2 + 4 + 1, T + 5_000, 1]);
    expect(packed.ipErrors).toEqual([
      T,
      '192.0.2.10',
      4,
      T,
      '192.0.2.9',
      2,
      T,
      '2001:db8::1',
      1,
      T + 5_000,
      '192.0.2.9',
      1,
    ]);
  });
});
