const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/**
 * Checks an ISO 3166-1 alpha-2 country code with the ICU data bundled in Node: the code must name a
 * country or territory (not `ZZ`, not private-use `Q*`/`X*`), and an alias such as `UK` is refused
 * with the canonical code to use instead.
 *
 * @example
 * parseCountryCode('jp'); // { ok: true, code: 'JP', name: 'Japan' }
 * parseCountryCode('UK'); // { ok: false, message: '"UK" is an alias; use GB (United Kingdom)' }
 */
export function parseCountryCode(
  text: string,
): { ok: true; code: string; name: string } | { ok: false; message: string } {
  const code = text.trim().toUpperCase();
  const invalid = {
    ok: false as const,
    message: `${JSON.stringify(text)} is not an ISO 3166-1 alpha-2 country code such as JP or FR`,
  };
  if (!/^[A-Z]{2}$/.test(code) || code === 'ZZ' || /^(Q[M-Z]|X[A-Z]|AA)$/.test(code)) return invalid;
  const name = regionNames.of(code);
  if (name === undefined) return invalid;
  const canonical = Intl.getCanonicalLocales(`und-${code}`)[0]?.slice(4);
  if (canonical && canonical !== code)
    return { ok: false, message: `${JSON.stringify(text)} is an alias; use ${canonical} (${name})` };
  return { ok: true, code, name };
}
