import { describe, expect, it } from 'vitest';
import { EventBuffer } from './event-buffer.js';

const decoder = new TextDecoder();

/** Takes one batch and parses it back. */
function takeParsed(buffer: EventBuffer): unknown[] | null {
  const taken = buffer.take();
  if (taken === null) return null;
  const events = JSON.parse(`[${decoder.decode(taken.json)}]`) as unknown[];
  expect(events).toHaveLength(taken.count);
  return events;
}

describe('EventBuffer', () => {
  it('hands events back in order, one batch of batchSize at a time', () => {
    const buffer = new EventBuffer(3, 100);
    for (let i = 0; i < 7; i++) expect(buffer.push(JSON.stringify({ i }))).toBe(0);
    expect(buffer.length).toBe(7);
    expect(takeParsed(buffer)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(takeParsed(buffer)).toEqual([{ i: 3 }, { i: 4 }, { i: 5 }]);
    expect(takeParsed(buffer)).toEqual([{ i: 6 }]);
    expect(buffer.length).toBe(0);
    expect(buffer.take()).toBeNull();
  });

  it('starts a new batch after a partial one was taken', () => {
    const buffer = new EventBuffer(3, 100);
    buffer.push('1');
    expect(takeParsed(buffer)).toEqual([1]);
    buffer.push('2');
    buffer.push('3');
    expect(takeParsed(buffer)).toEqual([2, 3]);
  });

  it('drops the oldest event once maxQueue events wait, across batches', () => {
    const buffer = new EventBuffer(2, 3);
    let dropped = 0;
    for (let i = 0; i < 6; i++) dropped += buffer.push(String(i));
    expect(dropped).toBe(3);
    expect(buffer.length).toBe(3);
    expect(takeParsed(buffer)).toEqual([3]);
    expect(takeParsed(buffer)).toEqual([4, 5]);
  });

  it('keeps the newest events when maxQueue is smaller than a batch', () => {
    const buffer = new EventBuffer(10, 2);
    let dropped = 0;
    for (let i = 0; i < 5; i++) dropped += buffer.push(String(i));
    expect(dropped).toBe(3);
    expect(takeParsed(buffer)).toEqual([3, 4]);
  });

  it('grows a batch for large and non-ASCII events and reuses its blocks without old bytes leaking', () => {
    const buffer = new EventBuffer(4, 100);
    const big = { ua: 'x'.repeat(5000), path: '/caf\u00e9/\u{1F600}/\u65e5\u672c' };
    for (let round = 0; round < 5; round++) {
      buffer.push(JSON.stringify(big));
      buffer.push(JSON.stringify({ round }));
      expect(takeParsed(buffer)).toEqual([big, { round }]);
      buffer.push(JSON.stringify({ round, small: true }));
      expect(takeParsed(buffer)).toEqual([{ round, small: true }]);
    }
  });
});
