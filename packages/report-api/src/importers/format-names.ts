/**
 * The log formats `watchpost import` reads, by the name used on the command line and in `?format=`
 * (their parsers are in `formats.ts`; this module holds no parser, so a command can check a name
 * without loading them).
 */
export const IMPORT_FORMAT_NAMES = ['aws-waf', 'alb', 'combined'] as const;

/** `aws-waf`, `alb` or `combined`. */
export type ImportFormat = (typeof IMPORT_FORMAT_NAMES)[number];

/**
 * Whether a user-supplied name is a known format.
 *
 * @example
 * isImportFormat('alb'); // true
 * isImportFormat('w3c'); // false
 */
export function isImportFormat(name: string): name is ImportFormat {
  return (IMPORT_FORMAT_NAMES as readonly string[]).includes(name);
}
