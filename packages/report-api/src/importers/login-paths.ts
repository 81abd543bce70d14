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
 * The login facts of an imported request to a login path (exact path, query string ignored; no match: none).
 * The account is never known from a log.
 *
 * - Refused before the app (`action: 'block'`: an ALB request WAF blocked, an AWS WAF BLOCK, CAPTCHA or
 *   CHALLENGE, whatever status WAF sent): **failed**. The client did not get in, and for the detections a
 *   refused try of a credential-stuffing run is as much evidence as a 401.
 * - Answered by the app: failed on 401/403, success on any other status below 500.
 * - No outcome known: none. A 5xx (the app broke), status 0 (the client closed first: ALB 460,
 *   nginx 499) and every AWS WAF ALLOW or COUNT, whose log has no origin status: marking those as
 *   successes would invent logins. Import the ALB or access logs of the same traffic for their outcomes.
 *
 * @example
 * const paths = parseLoginPaths(['POST:/login']);
 * importedLogin(paths, 'POST', '/login?next=/', 401); // { outcome: 'failed', account: null }
 * importedLogin(paths, 'POST', '/login', 0, 'allow'); // undefined (an AWS WAF ALLOW)
 */
export function importedLogin(
  paths: readonly LoginPath[],
  method: string,
  path: string,
  status: number,
  action: WatchpostEvent['action'] = 'allow',
): WatchpostEvent['login'] {
  if (paths.length === 0) return undefined;
  const refused = action === 'block';
  if (!refused && (status === 0 || status >= 500)) return undefined;
  const bare = path.split('?', 1)[0];
  if (!paths.some((p) => p.path === bare && (p.method === null || p.method === method.toUpperCase()))) return undefined;
  return { outcome: refused || status === 401 || status === 403 ? 'failed' : 'success', account: null };
}
