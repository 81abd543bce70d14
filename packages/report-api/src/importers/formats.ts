import { parseAlbLine } from './alb.js';
import { parseAwsWafLine } from './aws-waf.js';
import { parseCombinedLine } from './combined.js';
import type { ParseContext, ParseResult } from './context.js';
import type { ImportFormat } from './format-names.js';

/** A log line parser: one line in, an event or a skip reason out. */
export type LineParser = (line: string, ctx?: ParseContext) => ParseResult;

/** The parser of each log format (`format-names.ts` lists the names). */
export const IMPORT_FORMATS = {
  'aws-waf': parseAwsWafLine,
  alb: parseAlbLine,
  combined: parseCombinedLine,
} as const satisfies Record<ImportFormat, LineParser>;

export { type ImportFormat, isImportFormat } from './format-names.js';
