import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { event } from '../../test/helpers.js';
import { assertStorable } from '../db/storable.js';
import { localDayOf } from '../time/local-day.js';
import { validateBatch } from './validate.js';

// whatever an ingest key sends, validation never throws, never lets through an event a
// store would fail on, and accounts for every event.
const NOW = Date.UTC(2026, 11, 4, 12);
const zones = ['UTC', 'Asia/Tokyo', 'Pacific/Kiritimati', 'America/St_Johns'].map((zone) => localDayOf(zone));

const hostileNumber = fc.oneof(
  fc.constantFrom(9e15, 8.64e15, 8.64e15 + 1, 5e-324, 1e-7, 0, -1, 1, 2 ** 53, -(2 ** 53), NOW, NOW + 0.5, 1e308),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: NOW - 500 * 86_400_000, max: NOW + 3 * 86_400_000 }),
);
const hostileText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('\u0085', '\ud800', 'a\u007f', '::ffff:1.2.3.4', '1.2.3.4', 'FE80::1%eth0', '<script>', ''),
  fc.ipV4(),
  fc.ipV6(),
);
const anyValue = fc.oneof(hostileNumber, hostileText, fc.constant(null), fc.boolean(), fc.jsonValue({ maxDepth: 2 }));
const FIELDS = Object.keys(event()) as Array<keyof ReturnType<typeof event>>;

/** A valid event with some fields replaced by hostile values, or any JSON value at all. */
const jsonishEvent = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .dictionary(fc.constantFrom(...FIELDS, 'asn', 'extra'), anyValue, { maxKeys: 5 })
      .map((changes) => ({ ...event({ ts: NOW }), ...changes })),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

describe('validateBatch, property', () => {
  it('never throws, accounts for every event, and accepts only events every store can take', () => {
    fc.assert(
      fc.property(fc.array(jsonishEvent, { maxLength: 12 }), (events) => {
        const result = validateBatch(JSON.parse(JSON.stringify({ batchId: 'prop-batch', source: 'express', events })), {
          now: NOW,
        });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.batch.events.length + result.rejected).toBe(events.length);
        expect(result.details.length).toBe(Math.min(result.rejected, 20));
        for (const localDay of zones) expect(() => assertStorable(result.batch.events, localDay)).not.toThrow();
        for (const e of result.batch.events) {
          expect(Math.abs(e.ts - NOW)).toBeLessThanOrEqual(400 * 86_400_000);
          expect(Number.isFinite(1 / e.sampleRate)).toBe(true);
          expect(validateBatch({ batchId: 'prop-batch', source: 'express', events: [e] }, { now: NOW })).toMatchObject({
            rejected: 0,
            changed: false,
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on any JSON body', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (body) => {
        expect(() => validateBatch(body, { now: NOW })).not.toThrow();
      }),
    );
  });
});
