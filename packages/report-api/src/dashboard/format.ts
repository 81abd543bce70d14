import { localTime } from '../time/days.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A whole count with thousands separators.
 *
 * @example
 * formatCount(12345); // '12,345'
 */
export function formatCount(value: number): string {
  return integer.format(value);
}

/**
 * A share (0..1) as a percentage with `digits` decimals; an em dash for null.
 *
 * @example
 * formatRate(0.99953, 2); // '99.95%'
 */
export function formatRate(rate: number | null, digits = 2): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

/**
 * A relative change (0.25 = +25%) with a sign; an em dash when there is nothing to compare.
 *
 * @example
 * formatChange(-0.125); // '−12.5%'
 */
export function formatChange(change: number | null): string {
  if (change === null || !Number.isFinite(change)) return '—';
  const pct = (change * 100).toFixed(1);
  if (change > 0) return `+${pct}%`;
  if (change < 0) return `−${pct.slice(1)}%`;
  return '±0.0%';
}

/**
 * Relative change from `previous` to `current`, null when `previous` is zero or missing.
 *
 * @example
 * relativeChange(125, 100); // 0.25
 */
export function relativeChange(current: number, previous: number | null | undefined): number | null {
  if (previous === null || previous === undefined || previous === 0) return null;
  return (current - previous) / previous;
}

const withSeconds = new Map<string, Intl.DateTimeFormat>();

/**
 * The local wall-clock time (HH:MM, 24 h) of an epoch-ms instant in a time zone.
 *
 * @example
 * formatTime(Date.UTC(2026, 10, 26, 5, 0), 'Asia/Tokyo'); // '14:00'
 */
export function formatTime(ms: number, timeZone: string, seconds = false): string {
  // Pages format dozens of instants per render; building an Intl formatter per call was the cost.
  if (!seconds) return localTime(ms, timeZone);
  let format = withSeconds.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    withSeconds.set(timeZone, format);
  }
  return format.format(ms);
}
