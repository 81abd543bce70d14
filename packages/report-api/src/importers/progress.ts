import type { ImportSummary } from './stream.js';

/** Options of {@link createProgressLine}. */
export interface ProgressLineOptions {
  /** Where the line goes: a terminal's stderr. */
  write: (text: string) => void;
  now?: () => number;
  /** Least time between two redraws. Default 250 ms. */
  intervalMs?: number;
}

/** A progress line redrawn in place with `\r`. */
export interface ProgressLine {
  update(summary: ImportSummary): void;
  /** Clears the line so the JSON summary starts on a clean one. */
  done(): void;
}

/**
 * Draws `lines read, imported, skipped, lines/s` on one terminal line, at most every `intervalMs`.
 * Only for a TTY: piped output gets the JSON summary alone.
 *
 * @example
 * const progress = createProgressLine({ write: (t) => process.stderr.write(t) });
 * await importFiles(files, { ...options, onProgress: progress.update });
 * progress.done();
 */
export function createProgressLine({ write, now = Date.now, intervalMs = 250 }: ProgressLineOptions): ProgressLine {
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let width = 0;
  return {
    update(summary) {
      const at = now();
      if (at - last < intervalMs) return;
      last = at;
      const seconds = Math.max((at - started) / 1000, 0.001);
      const rate = Math.round(summary.linesRead / seconds);
      const text =
        `importing: ${summary.linesRead.toLocaleString('en-US')} ` +
        `lines, ${summary.imported.toLocaleString('en-US')} imported, ` +
        `${summary.skipped.toLocaleString('en-US')} skipped, ${summary.duplicates.toLocaleString('en-US')} ` +
        `duplicate, ${rate.toLocaleString('en-US')} lines/s`;
      write(`\r${text.padEnd(width)}`);
      width = text.length;
    },
    done() {
      if (width > 0) write(`\r${' '.repeat(width)}\r`);
      width = 0;
    },
  };
}
