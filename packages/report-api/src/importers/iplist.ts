/**
 * Plain threat-intelligence lists (`--format iplist --source NAME`): one IP or CIDR block per line,
 * `#` comments and blank lines ignored; anything else is skipped with its line number. Blocks are
 * normalised by the middleware's own matcher, so a list entry matches exactly what it would deny.
 */
import { createIpMatcher } from '@watchpost/middleware';
import { MAX_INTEL_ENTRIES } from '../db/intel.js';

/** A source name: what reports and cases show next to a match. */
export const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The entries of a list, the lines skipped, and whether it was cut at `MAX_INTEL_ENTRIES`. */
export interface ParsedIpList {
  values: string[];
  skipped: number;
  /** Line numbers (1-based) of the first skipped lines, at most 20. */
  skippedLines: number[];
  truncated: boolean;
}

/**
 * Parses a list's lines.
 *
 * @example
 * parseIpList(['# drop list', '192.0.2.0/24', '2001:db8::1', 'not an ip']).values; // ['192.0.2.0/24', '2001:db8::1']
 */
export function parseIpList(lines: Iterable<string>): ParsedIpList {
  const result: ParsedIpList = { values: [], skipped: 0, skippedLines: [], truncated: false };
  let n = 0;
  for (const raw of lines) {
    n += 1;
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    let value: string | null = null;
    if (line.length <= 64) {
      try {
        createIpMatcher([{ value: line }]);
        value = line;
      } catch {
        value = null;
      }
    }
    if (value === null) {
      result.skipped += 1;
      if (result.skippedLines.length < 20) result.skippedLines.push(n);
      continue;
    }
    if (result.values.length >= MAX_INTEL_ENTRIES) {
      result.truncated = true;
      break;
    }
    result.values.push(value);
  }
  return result;
}
