/** Codes that say "unknown" rather than naming a country: `XX` (Cloudflare), `ZZ` (user-assigned). */
const UNKNOWN = new Set(['XX', 'ZZ']);

/**
 * An ISO 3166-1 alpha-2 code in upper case, or `null` for anything else: missing, junk,
 * `XX`/`ZZ` (unknown) and `T1` (Cloudflare's marker for Tor).
 *
 * @example
 * normalizeCountry('jp'); // 'JP'
 * normalizeCountry('T1'); // null
 */
export function normalizeCountry(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value.length < 2 || value.length > 4) return null;
  // GeoIP answers and CDN headers are nearly always two capitals already: keep that very string.
  const code =
    value.length === 2 && isCapital(value.charCodeAt(0)) && isCapital(value.charCodeAt(1))
      ? value
      : value.trim().toUpperCase();
  if (code.length !== 2) return null;
  const a = code.charCodeAt(0);
  const b = code.charCodeAt(1);
  if (!isCapital(a) || !isCapital(b) || UNKNOWN.has(code)) return null;
  return code;
}

function isCapital(code: number): boolean {
  return code >= 65 && code <= 90;
}
