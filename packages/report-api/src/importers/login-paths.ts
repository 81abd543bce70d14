import type { WatchpostEvent } from '@watchpost/middleware/protocol';

/** One `--login-path` / `loginPath` value: an optional method and an exact path. */
export interface LoginPath {
  method: string | null;
  path: string;
}

const MAX_LENGTH = 2048;
const METHOD = /^[A-Z]{1,16}$/;

/**
 * Parses `--login-path` values (`POST:/login` or `/login`). Throws a TypeError naming the option for
 * control bytes, over-long values, a missing leading `/` or a malformed method.
 *
 * @example
 * parseLoginPaths(['POST:/login', '/api/session']); // [{ method: 'POST', path: '/login' }, ...]
 */
export function parseLoginPaths(values: readonly unknown[], option = '--login-path'): LoginPath[] {
  return values.map((value) => {
    if (typeof value !== 'string') throw new TypeError(`${option} must be a string like POST:/login`);
    if (value.length > MAX_LENGTH) throw new TypeError(`${option} is over ${MAX_LENGTH} characters`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new TypeError(`${option} must not contain control characters`);
    const colon = value.indexOf(':');
    const hasMethod = colon > 0 && !value.slice(0, colon).includes('/');
    const method = hasMethod ? value.slice(0, colon).toUpperCase() : null;
    const path = hasMethod ? value.slice(colon + 1) : value;
    if (method !== null && !METHOD.test(method)) throw new TypeError(`${option} has a malformed method in ${value}`);
    if (!path.startsWith('/')) throw new TypeError(`${option} path must start with /, e.g. POST:/login`);
    return { method, path };
  });
}

/**
 * The login facts of an imported request: failed on 401/403, success on any other status below 500,
 * none on 5xx or when no login path matches (exact path, query string ignored). The account is unknown.
 */
export function importedLogin(
  paths: readonly LoginPath[],
  method: string,
  path: string,
  status: number,
): WatchpostEvent['login'] {
  if (paths.length === 0 || status >= 500) return undefined;
  const bare = path.split('?', 1)[0];
  if (!paths.some((p) => p.path === bare && (p.method === null || p.method === method.toUpperCase()))) return undefined;
  return { outcome: status === 401 || status === 403 ? 'failed' : 'success', account: null };
}
