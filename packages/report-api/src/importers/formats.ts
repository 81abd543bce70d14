import { parseAlbLine } from './alb.js';
import { parseAwsWafLine } from './aws-waf.js';
import { parseCombinedLine } from './combined.js';
import type { ParseContext, ParseResult } from './context.js';

/** A log line parser: one line in, an event or a skip reason out. */
export type LineParser = (line: string, ctx?: ParseContext) => ParseResult;

/** The log formats `watchpost import` understands, by the name used on the command line and in `?format=`. */
export const IMPORT_FORMATS = {
  'aws-waf': parseAwsWafLine,
  alb: parseAlbLine,
  combined: parseCombinedLine,
} as const satisfies Record<string, LineParser>;

/** `aws-waf`, `alb` or `combined`. */
export type ImportFormat = keyof typeof IMPORT_FORMATS;

/**
 * Whether a user-supplied name is a known format.
 *
 * @example
 * isImportFormat('alb'); // true
 * isImportFormat('w3c'); // false
 */
export function isImportFormat(name: string): name is ImportFormat {
  return Object.hasOwn(IMPORT_FORMATS, name);
}
