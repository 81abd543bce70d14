/**
 * Builds the request to the origin: same method, headers and streamed body; the URL's path and query
 * are appended to `ORIGIN_URL` (whose own path, if any, is a prefix). The `Host` header follows the
 * origin URL (the Workers runtime derives it from the URL; a Host header cannot be set by hand), and
 * the client's host and scheme travel in `X-Forwarded-Host` / `X-Forwarded-Proto`. Pass `incoming`
 * when the request URL is already parsed.
 *
 * @example
 * const originRequest = toOriginRequest(request, new URL('https://origin.example'));
 * const response = await fetch(originRequest); // returned to the client as is
 */
export function toOriginRequest(request: Request, originUrl: URL, incoming = new URL(request.url)): Request {
  const prefix = originUrl.pathname.endsWith('/') ? originUrl.pathname.slice(0, -1) : originUrl.pathname;
  // The fragment never reaches a server; the origin's own query, if any, is replaced by the request's.
  const target = `${originUrl.origin}${prefix}${incoming.pathname}${incoming.search}`;

  // `redirect: 'manual'` hands the origin's 3xx to the client untouched instead of following it here.
  // The headers are copied once, by the Request constructor, and adjusted on the copy.
  const originRequest = new Request(target, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
  });
  const headers = originRequest.headers;
  headers.delete('host');
  if (!headers.has('x-forwarded-host')) headers.set('x-forwarded-host', incoming.host);
  if (!headers.has('x-forwarded-proto')) headers.set('x-forwarded-proto', incoming.protocol.slice(0, -1));
  return originRequest;
}

/**
 * The small plain 403 the worker answers a denied request with. It names no rule: a scanner learns
 * nothing from it; the rule is on the event.
 *
 * @example
 * if (decision.action === 'block') return blockedResponse();
 */
export function blockedResponse(): Response {
  return new Response('Forbidden\n', {
    status: 403,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * The answer to a client refused by a rate rule: 429 with `Retry-After` (seconds), or a plain 403.
 *
 * @example
 * return rateLimitedResponse(429, 60);
 */
export function rateLimitedResponse(status: 403 | 429, retryAfterS: number): Response {
  if (status === 403) return blockedResponse();
  return new Response('Too Many Requests\n', {
    status: 429,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(retryAfterS),
    },
  });
}
