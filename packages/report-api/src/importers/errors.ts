import { ImportLimitError } from './lines.js';

/** What an import failure means to the person who sent the log: an HTTP status and a sentence. */
export interface ImportFailure {
  /** 400 for a broken log, 413 for a log over a limit, `null` for a failure on our side (the store, the disk). */
  status: 400 | 413 | null;
  message: string;
}

/**
 * Turns whatever stopped an import (gzip errors, limits, the store) into a clear sentence, so
 * neither `POST /v1/import` nor `watchpost import` ever shows a bare stack or a zlib code.
 *
 * @example
 * describeImportError(Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' }));
 * // { status: 400, message: 'the gzip data ends early (truncated)' }
 */
export function describeImportError(error: unknown): ImportFailure {
  if (error instanceof ImportLimitError) return { status: 413, message: error.message };
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'Z_DATA_ERROR') return { status: 400, message: 'the data starts like gzip but is not valid gzip' };
  if (code === 'Z_BUF_ERROR') return { status: 400, message: 'the gzip data ends early (truncated)' };
  const message = error instanceof Error ? error.message : String(error);
  return { status: null, message: `the import failed: ${message}` };
}

/**
 * An import of one file that stopped part way: names the file and says what was stored before.
 *
 * @example
 * throw new ImportFileError('waf.log.gz', error, summary);
 */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(path: string, cause: unknown, stored: { linesRead: number; imported: number }) {
    super(
      `${path}: ${describeImportError(cause).message} after ${stored.linesRead} lines; ${stored.imported} events ` +
        `stored ` +
        '(importing the file again adds only what is new)',
      { cause },
    );
  }
}
