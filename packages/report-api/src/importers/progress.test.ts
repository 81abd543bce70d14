import { describe, expect, it } from 'vitest';
import { createProgressLine } from './progress.js';
import { emptySummary } from './stream.js';

describe('createProgressLine', () => {
  it('redraws in place at most every interval, shows lines/s, and clears itself', () => {
    let clock = 0;
    const out: string[] = [];
    const progress = createProgressLine({ write: (text) => out.push(text), now: () => clock, intervalMs: 250 });
    const summary = { ...emptySummary(), linesRead: 50_000, imported: 49_000, skipped: 1000 };
    clock = 500;
    progress.update(summary);
    clock = 600;
    progress.update({ ...summary, linesRead: 60_000 }); // within 250 ms: not drawn
    clock = 1000;
    progress.update({ ...summary, linesRead: 100_000 });
    progress.done();
    expect(out).toHaveLength(3);
    expect(out[0]).toBe('\rimporting: 50,000 lines, 49,000 imported, 1,000 skipped, 0 duplicate, 100,000 lines/s');
    expect(out[1]).toMatch(/^\rimporting: 100,000 lines, .* 100,000 lines\/s$/);
    expect(out[2]).toMatch(/^\r +\r$/);
  });

  it('shows the share of the input done and the time left from the rate so far', () => {
    let clock = 0;
    const out: string[] = [];
    const progress = createProgressLine({ write: (text) => out.push(text), now: () => clock, totalBytes: 1_000_000 });
    clock = 10_000;
    progress.update({ ...emptySummary(), linesRead: 100_000 }, 250_000); // a quarter in 10 s: 30 s left
    clock = 4_000_000;
    progress.update({ ...emptySummary(), linesRead: 200_000 }, 500_000); // half in 4,000 s: 1:06:40 left
    expect(out[0]).toMatch(/, 10,000 lines\/s, 25%, ETA 0:30$/);
    expect(out[1]).toMatch(/, 50%, ETA 1:06:40 *$/);
  });
});
