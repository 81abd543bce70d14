import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

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

/**
 * Turns zod issues into the `details` of a 400 answer: the field path (`events.3.status`, or
 * `(body)` for the body itself) and zod's message, at most `max` of them.
 *
 * @example
 * if (!parsed.success) throw apiError(400, 'invalid entry', issueDetails(parsed.error.issues));
 */
export function issueDetails(issues: readonly z.core.$ZodIssue[], max = 20): ErrorDetail[] {
  return issues.slice(0, max).map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}
