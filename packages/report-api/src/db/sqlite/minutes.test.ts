import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../../test/helpers.js';
import { minuteSpan, perMinuteSql, type MinuteIndexed } from './minutes.js';

let t: ReturnType<typeof tempStore>;
afterEach(async () => t.cleanup());

describe('per-minute index look-ups', () => {
  it.each<MinuteIndexed>(['ip', 'country', 'path'])(
    '%s: a fresh database (no statistics) seeks (site, minute, %s)',
    (column) => {
      t = tempStore();
      const sql = perMinuteSql(column, `${column} = ?`, '*', 'AND ts >= ? AND ts < ?');
      const plan = (
        t.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1, 2, 's', 'x', 0, 1) as Array<{ detail: string }>
      ).map((r) => r.detail);
      expect(
        plan.some((d) =>
          d.includes(`SEARCH events USING INDEX events_site_minute_${column} (site_id=? AND <expr>=? AND ${column}=?)`),
        ),
      ).toBe(true);
    },
  );

  it('minuteSpan clamps a wide range to the minutes that have events of the site', async () => {
    t = tempStore();
    const { site } = await t.store.createSite({ name: 's', timeZone: 'UTC', homeCountry: null });
    const T = Date.UTC(2026, 2, 1, 12);
    const event = (ts: number) => ({
      ts,
      ip: '192.0.2.1',
      country: null,
      method: 'GET',
      host: 'h',
      path: '/',
      status: 200,
      latencyMs: 1,
      ua: 'u',
      action: 'allow' as const,
      rule: null,
      botCategory: null,
      sampleRate: 1,
    });
    await t.store.ingestBatch(site.id, {
      batchId: 'b-minutes-1',
      source: 'express',
      events: [event(T + 5), event(T + 125_000)],
    });
    const span = minuteSpan(t.store.db);
    expect(span(site.id, 0, Date.UTC(2030, 0))).toEqual([T / 60_000, T / 60_000 + 2]);
    expect(span(site.id, T + 6, T + 100_000)).toBeNull();
    expect(span('site_other', 0, Date.UTC(2030, 0))).toBeNull();
  });
});
