import type { Decision } from './engine-options.js';

/** What an adapter answers a blocked request. */
export interface Refusal {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * The answer to a blocked decision: the configured block response, or, when a rate rule chose
 * 429, `429 Too Many Requests` with `Retry-After` in whole seconds (the same other headers).
 *
 * @example
 * refusalFor(block, { action: 'block', rule: 'rate:per-ip', botCategory: null, status: 429, retryAfterS: 42 });
 * // { status: 429, body: 'Too Many Requests', headers: { ..., 'retry-after': '42' } }
 */
export function refusalFor(block: Refusal, decision: Decision): Refusal {
  if (decision.status !== 429) return block;
  const seconds = decision.retryAfterS;
  const retryAfter = Number.isSafeInteger(seconds) && seconds! > 0 ? String(seconds) : '1';
  return { status: 429, body: 'Too Many Requests', headers: { ...block.headers, 'retry-after': retryAfter } };
}
