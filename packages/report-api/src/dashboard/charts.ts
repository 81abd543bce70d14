import type { HtmlEscapedString } from 'hono/utils/html';
import type { TimelinePoint } from '../reports/types.js';
import { formatCount, formatTime } from './format.js';
import { h, joinHtml } from './html.js';

const WIDTH = 720;

/**
 * A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`.
 *
 * @example
 * niceMax(140); // 200
 */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/**
 * The axis labels from 0 to `max` (a `niceMax`): steps of 1, 2 or 5 times a power of ten, whole
 * numbers (counts), at most five of them, so a 0..50 axis reads 0, 10, …, 50 and not 12.5 (`13`).
 *
 * @example
 * axisTicks(50); // [0, 10, 20, 30, 40, 50]
 * axisTicks(2); // [0, 1, 2]
 */
export function axisTicks(max: number): number[] {
  // Counts are finite; should one not be, the axis says so rather than the loop below never ending.
  if (!Number.isFinite(max) || max <= 0) return [0];
  let step = 1;
  search: for (let power = 1; power <= max; power *= 10) {
    for (const multiple of [1, 2, 5]) {
      step = multiple * power;
      if (max / step <= 5) break search;
    }
  }
  const ticks: number[] = [];
  for (let tick = 0; tick <= max; tick += step) ticks.push(tick);
  // A fractional top (sample-weighted counts under 1) still gets its label.
  if (ticks[ticks.length - 1] !== max) ticks.push(max);
  return ticks;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The hourly timeline as an inline SVG: requests as bars with the blocked share over them,
 * 4xx and 5xx as lines. `id` must be unique on the page (it names the chart's title).
 *
 * @example
 * timelineChart('timeline', report.timeline, 'Asia/Tokyo');
 */
export function timelineChart(id: string, points: TimelinePoint[], timeZone: string): HtmlEscapedString {
  const height = 240;
  const left = 52;
  const right = 8;
  const top = 10;
  const bottom = 28;
  const plotW = WIDTH - left - right;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...points.map((p) => Math.max(p.requests, p.errors4xx, p.errors5xx))));
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.max(1, slot * 0.7);
  const y = (v: number) => round(top + plotH - (v / max) * plotH);
  const x = (i: number) => round(left + i * slot + (slot - barW) / 2);
  const cx = (i: number) => round(left + i * slot + slot / 2);
  const ticks = axisTicks(max);
  const line = (pick: (p: TimelinePoint) => number) => points.map((p, i) => `${cx(i)},${y(pick(p))}`).join(' ');
  const labelEvery = points.length > 12 ? 3 : 1;
  const total = points.reduce((sum, p) => sum + p.requests, 0);
  return joinHtml(
    h`<figure class="wide">
<svg class="chart" id="${id}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title">
<title id="${id}-title">`,
    h`Requests per hour: ${formatCount(total)} in total, peak `,
    h`${formatCount(Math.max(0, ...points.map((p) => p.requests)))}</title>
${ticks.map((t) =>
  joinHtml(
    h`<line class="grid" x1="${left}" x2="${WIDTH - right}" y1="${y(t)}" y2="${y(t)}"></line>`,
    h`<text x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${formatCount(t)}</text>`,
  ),
)}
${points.map((p, i) => {
  const label =
    `${formatTime(p.start, timeZone)}: ${formatCount(p.requests)} ` +
    `requests, ${formatCount(p.blocked)} blocked, ${formatCount(p.errors4xx)} 4xx, ${formatCount(p.errors5xx)} 5xx`;
  return joinHtml(
    h`<g class="hour"><title>${label}</title>`,
    h`<rect class="f-req" x="${x(i)}" y="${y(p.requests)}" width="${round(barW)}" height="`,
    h`${round(plotH + top - y(p.requests))}"></rect><rect class="f-blocked" x="${x(i)}" y="`,
    h`${y(p.blocked)}" width="${round(barW)}" height="${round(plotH + top - y(p.blocked))}"></rect></g>`,
  );
})}
<polyline class="l-e4" points="${line((p) => p.errors4xx)}"></polyline>
<polyline class="l-e5" points="${line((p) => p.errors5xx)}"></polyline>
<line class="axis" x1="${left}" x2="${WIDTH - right}" y1="${top + plotH}" y2="${top + plotH}"></line>
${points.map((p, i) =>
  i % labelEvery === 0
    ? joinHtml(
        h`<text x="${cx(i)}" y="${height - 10}" text-anchor="middle">`,
        h`${formatTime(p.start, timeZone)}</text>`,
      )
    : '',
)}
</svg>
<ul class="legend" aria-hidden="true"><li><span class="swatch s-req"></span>requests</li><li>`,
    h`<span class="swatch s-blocked"></span>blocked</li><li><span class="swatch s-e4"></span>4xx</li><li>`,
    h`<span class="swatch s-e5"></span>5xx</li></ul>
</figure>`,
  );
}

/**
 * One bar of a `barChart`: `part` (e.g. blocked) is drawn over `value` in a second colour.
 *
 * @example
 * const row: BarRow = { label: 'CN', value: 135, part: 15 };
 */
export interface BarRow {
  label: string;
  value: number;
  part?: number;
  /** CSS class of the bar, default `f-bar`. */
  tone?: 'f-bar' | 'f-req' | 'f-ok' | 'f-e4' | 'f-e5' | 'f-blocked';
}

/**
 * Shortens a label for the chart (the table beside it shows it whole), by code points.
 *
 * @example
 * shorten('Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 10); // 'Mozilla/5…'
 */
export function shorten(label: string, max = 24): string {
  const chars = Array.from(label);
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * A horizontal bar chart as inline SVG, one row per entry; `width` is the viewBox width (use a
 * smaller one for a half-width column so its text stays readable).
 *
 * @example
 * barChart('status', 'Responses by status class', [
 *   { label: '2xx', value: 950 },
 *   { label: '5xx', value: 3, tone: 'f-e5' },
 * ]);
 */
export function barChart(id: string, title: string, rows: BarRow[], width = WIDTH): HtmlEscapedString {
  const rowH = 24;
  const labelW = Math.round(width * 0.26);
  const valueW = 70;
  const height = Math.max(1, rows.length) * rowH + 8;
  const plotW = width - labelW - valueW;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const w = (v: number) => round((v / max) * plotW);
  return h`<figure>
<svg class="chart" id="${id}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title">
<title id="${id}-title">${title}</title>
${rows.length === 0 ? h`<text x="4" y="18">No data</text>` : ''}
${rows.map((r, i) => {
  const yTop = 4 + i * rowH;
  return joinHtml(
    h`<g><title>${r.label}: ${formatCount(r.value)}${
      r.part !== undefined ? ` (${formatCount(r.part)} blocked)` : ''
    }</title><text x="${labelW - 8}" y="${yTop + 16}" text-anchor="end">${shorten(r.label)}</text>`,
    h`<rect class="${r.tone ?? 'f-bar'}" x="${labelW}" y="${yTop + 3}" width="${w(r.value)}" height="`,
    h`${rowH - 6}"></rect>${
      r.part
        ? joinHtml(
            h`<rect class="f-blocked" x="${labelW}" y="${yTop + 3}" width="`,
            h`${w(r.part)}" height="${rowH - 6}"></rect>`,
          )
        : ''
    }<text x="${labelW + w(r.value) + 6}" y="`,
    h`${yTop + 16}">${formatCount(r.value)}</text></g>`,
  );
})}
</svg>
</figure>`;
}
