import type { ImportSummary } from './stream.js';

/** Options of {@link createProgressLine}. */
export interface ProgressLineOptions {
  /** Where the line goes: a terminal's stderr. */
  write: (text: string) => void;
  /** Bytes of all the input (file sizes as on disk): with it the line shows the share done and an ETA. */
  totalBytes?: number;
  now?: () => number;
  /** Least time between two redraws. Default 250 ms. */
  intervalMs?: number;
}

/** A progress line redrawn in place with `\r`. */
export interface ProgressLine {
  /** `bytesRead`: input read so far, in the unit of `totalBytes`. */
  update(summary: ImportSummary, bytesRead?: number): void;
  /** Clears the line so the JSON summary starts on a clean one. */
  done(): void;
}

const count = (n: number) => n.toLocaleString('en-US');

/** `1:05` or `1:02:03`. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const mm = String(Math.floor(s / 60) % 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/**
 * Draws `lines read, imported, skipped, lines/s` on one terminal line, at most every `intervalMs`, with
 * the share of the input done and the time left when `totalBytes` is known (from the bytes read so far:
 * the rate of the whole run, so one slow batch does not swing it). Only for a TTY: piped output gets the
 * JSON summary alone.
 *
 * @example
 * const progress = createProgressLine({ write: (t) => process.stderr.write(t), totalBytes: 1_800_000_000 });
 * await importFiles(files, { ...options, onProgress: progress.update });
 * progress.done();
 */
export function createProgressLine({
  write,
  totalBytes,
  now = Date.now,
  intervalMs = 250,
}: ProgressLineOptions): ProgressLine {
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let width = 0;
  return {
    update(summary, bytesRead) {
      const at = now();
      if (at - last < intervalMs) return;
      last = at;
      const seconds = Math.max((at - started) / 1000, 0.001);
      const rate = Math.round(summary.linesRead / seconds);
      let text =
        `importing: ${count(summary.linesRead)} lines, ${count(summary.imported)} imported, ` +
        `${count(summary.skipped)} skipped, ${count(summary.duplicates)} duplicate, ${count(rate)} lines/s`;
      if (totalBytes !== undefined && totalBytes > 0 && bytesRead !== undefined && bytesRead > 0) {
        const share = Math.min(bytesRead / totalBytes, 1);
        const left = (seconds * (totalBytes - Math.min(bytesRead, totalBytes))) / bytesRead;
        text += `, ${Math.floor(share * 100)}%, ETA ${clock(left)}`;
      }
      write(`\r${text.padEnd(width)}`);
      width = text.length;
    },
    done() {
      if (width > 0) write(`\r${' '.repeat(width)}\r`);
      width = 0;
    },
  };
}
