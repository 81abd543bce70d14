import { isEventTs, MIN_SAMPLE_RATE, type WatchpostEvent } from '@watchpost/middleware/protocol';

/**
 * Why a store cannot process `event` (aggregate it into rollups by local day), or null when it can.
 * The ingest validator makes this impossible for batches from `POST /v1/events`; stores check again
 * inside the batch's transaction, so a caller that skipped validation fails before anything is
 * committed, and the rollup-backlog recovery skips such a row instead of failing to open.
 *
 * @example
 * unstorableReason({ ...event, ts: 9e15 }, localDay); // 'ts 9000000000000000 is outside 2000-01-01..the largest Date'
 */
export function unstorableReason(
  event: Pick<WatchpostEvent, 'ts' | 'sampleRate'>,
  localDay: (ms: number) => string,
): string | null {
  if (!isEventTs(event.ts)) return `ts ${event.ts} is outside 2000-01-01..the largest Date`;
  if (!(event.sampleRate >= MIN_SAMPLE_RATE && event.sampleRate <= 1))
    return `sampleRate ${event.sampleRate} is outside ${MIN_SAMPLE_RATE}..1`;
  try {
    localDay(event.ts);
  } catch (error) {
    return `ts ${event.ts} has no local day (${(error as Error).message})`;
  }
  return null;
}

/**
 * Throws a `RangeError` naming the first event of `events` a store cannot process. Called inside
 * the batch's transaction (before its COMMIT), so the batch rolls back whole. Costs a range check
 * per event and two local-day look-ups (the earliest and latest `ts`).
 *
 * @example
 * db.transaction(() => { assertStorable(batch.events, localDay); insertBatch(); })();
 */
export function assertStorable(events: readonly WatchpostEvent[], localDay: (ms: number) => string): void {
  let earliest = 0;
  let latest = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (!isEventTs(e.ts) || !(e.sampleRate >= MIN_SAMPLE_RATE && e.sampleRate <= 1)) {
      throw new RangeError(`event ${i} cannot be stored: ${unstorableReason(e, localDay)}`);
    }
    if (i === 0 || e.ts < events[earliest]!.ts) earliest = i;
    if (i === 0 || e.ts > events[latest]!.ts) latest = i;
  }
  for (const i of events.length > 0 ? [earliest, latest] : []) {
    const reason = unstorableReason(events[i]!, localDay);
    if (reason !== null) throw new RangeError(`event ${i} cannot be stored: ${reason}`);
  }
}
