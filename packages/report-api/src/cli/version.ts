import { readFileSync } from 'node:fs';

/**
 * The version of `@watchpost/report-api`, read from its package.json (two levels up from both
 * `src/cli/` and `dist/cli/`), so `watchpost --version` always matches what was installed.
 *
 * @example
 * console.log(packageVersion()); // '0.1.0'
 */
export function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const version = (manifest as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('package.json has no version');
  return version;
}
