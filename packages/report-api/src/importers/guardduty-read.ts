/**
 * Reading a GuardDuty export (plain or gzip): JSON lines stream through with memory bounded per line;
 * a `{"findings": [...]}` document (pretty-printed, as the AWS CLI writes it) is read whole, up to
 * `MAX_DOCUMENT_BYTES`.
 */
import type { Finding } from '../db/findings.js';
import { parseFindingsText, type FindingSkip } from './guardduty.js';
import { splitLines } from './lines.js';
import { ImportLimitError, openLogStream, type LogSource } from './stream.js';

/** Largest `{"findings": [...]}` document read whole; larger exports must be JSON lines. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export type FindingResult = { rows: Finding[] } | { skip: FindingSkip | 'line-too-long' };

/**
 * The findings of one export, one result per finding (or per skipped line).
 *
 * @example
 * for await (const result of readFindings(createReadStream('findings.jsonl.gz'), Date.now())) ...
 */
export async function* readFindings(source: LogSource, now: number): AsyncGenerator<FindingResult> {
  const text = await openLogStream(source);
  const iterator = text[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let newline = -1;
  let size = 0;
  while (newline < 0 && size <= MAX_DOCUMENT_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    const at = next.value.indexOf(10);
    if (at >= 0) newline = size + at;
    head.push(next.value);
    size += next.value.length;
  }
  const first = Buffer.concat(head);
  const firstLine = (newline < 0 ? first : first.subarray(0, newline)).toString('utf8').trim();
  async function* rest(): AsyncGenerator<Buffer> {
    yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  if (firstLine !== '' && isJson(firstLine)) {
    for await (const lines of splitLines(rest())) {
      for (const line of lines) {
        if ('tooLong' in line) yield { skip: 'line-too-long' };
        else if (line.text.trim() !== '') yield* parseFindingsText(line.text, now);
      }
    }
    return;
  }
  // A document: read it whole, bounded.
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of rest()) {
    total += chunk.length;
    if (total > MAX_DOCUMENT_BYTES)
      throw new ImportLimitError(
        `a GuardDuty document over ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB: export the findings as JSON lines`,
      );
    parts.push(chunk);
  }
  yield* parseFindingsText(Buffer.concat(parts).toString('utf8'), now);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
