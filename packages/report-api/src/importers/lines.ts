/**
 * Longest log line read, in bytes: 256 KiB. The biggest realistic record is an AWS WAF JSON record
 * of a request with ALB's maximum of 64 KiB of headers, JSON-escaped, plus its labels and rule
 * lists: well under this. A longer line is not a log record but an attack or a corrupt file.
 */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;

/**
 * Thrown when a log passes its decompressed size limit. Batches stored before stay stored;
 * importing the log again later adds only what is new.
 */
export class ImportLimitError extends Error {
  override name = 'ImportLimitError';
}

/** One line of a log: its text (UTF-8, without the line break), or the size of a line too long to read. */
export type LogLine = { text: string } | { tooLong: number };

/** Options of {@link splitLines}. */
export interface SplitLinesOptions {
  /** Lines longer than this many bytes are skipped, never buffered. Default {@link DEFAULT_MAX_LINE_BYTES}. */
  maxLineBytes?: number;
  /** Throw {@link ImportLimitError} once more bytes than this went by. Default: no limit. */
  maxTextBytes?: number;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

function decode(parts: Buffer[], size: number): string {
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  const end = size > 0 && bytes[size - 1] === CARRIAGE_RETURN ? size - 1 : size;
  // Invalid UTF-8 becomes U+FFFD here, never an exception.
  return bytes.toString('utf8', 0, end);
}

/**
 * Splits a byte stream into lines (`\n` or `\r\n`) with memory bounded by `maxLineBytes`, whatever
 * the input: a line longer than that is dropped as it streams by and reported as `{ tooLong }`, so a
 * gigabyte without a newline costs no more than a short line. Yields the lines of each chunk together
 * (one await per chunk, not per line).
 *
 * @example
 * for await (const lines of splitLines(createReadStream('alb.log'), { maxLineBytes: 65_536 })) {
 *   for (const line of lines) if ('text' in line) console.log(line.text);
 * }
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  { maxLineBytes = DEFAULT_MAX_LINE_BYTES, maxTextBytes = Number.POSITIVE_INFINITY }: SplitLinesOptions = {},
): AsyncGenerator<LogLine[]> {
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new TypeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
  }
  let parts: Buffer[] = [];
  let size = 0;
  // Bytes of the line being dropped so far, or -1 while the current line is being kept.
  let dropped = -1;
  let total = 0;
  for await (const chunk of chunks) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += bytes.length;
    if (total > maxTextBytes)
      throw new ImportLimitError(`the log is larger than ${maxTextBytes} bytes once decompressed`);
    const lines: LogLine[] = [];
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      const length = end - start;
      if (dropped >= 0) dropped += length;
      else if (size + length > maxLineBytes) {
        dropped = size + length;
        parts = [];
        size = 0;
      } else if (length > 0) {
        // A copy, not a view: a view would keep the whole chunk alive for one short line.
        parts.push(newline === -1 ? Buffer.from(bytes.subarray(start, end)) : bytes.subarray(start, end));
        size += length;
      }
      if (newline === -1) break;
      if (dropped >= 0) lines.push({ tooLong: dropped });
      else lines.push({ text: decode(parts, size) });
      parts = [];
      size = 0;
      dropped = -1;
      start = newline + 1;
    }
    if (lines.length > 0) yield lines;
  }
  if (dropped >= 0) yield [{ tooLong: dropped }];
  else if (size > 0) yield [{ text: decode(parts, size) }];
}
