import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One problem with a request field: `path` like `events.3.status`, `message` says what to send instead. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The JSON body of every 4xx/5xx answer. */
export interface ErrorBody {
  error: string;
  details?: ErrorDetail[];
}

/**
 * Throws a JSON error answer from anywhere inside a handler.
 *
 * @example
 * throw apiError(400, 'date must be YYYY-MM-DD', [{ path: 'date', message: 'got "2026-02-30"' }]);
 */
export function apiError(status: ContentfulStatusCode, error: string, details?: ErrorDetail[]): HTTPException {
  const body: ErrorBody = details ? { error, details } : { error };
  return new HTTPException(status, {
    res: new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    }),
  });
}
