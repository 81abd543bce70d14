import { batchSchema, type EventBatch } from '@watchpost/middleware/protocol';
import { type ErrorDetail, issueDetails } from '../http/errors.js';

/** Most field problems listed in one 400 answer. */
const MAX_DETAILS = 20;
// C0 controls, DEL and C1 controls. Paths and user agents with these are refused rather than stored:
// they break logs, terminals and the Markdown report.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// An unpaired surrogate: JSON allows "\ud800", UTF-8 cannot encode it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TEXT_FIELDS = ['ip', 'method', 'host', 'path', 'ua', 'rule'] as const;

/** Result of `validateBatch`: the batch, or the field problems (path + message) for the 400 answer. */
export type BatchValidation = { ok: true; batch: EventBatch } | { ok: false; details: ErrorDetail[] };

/**
 * Validates a parsed body against `batchSchema`, then refuses text fields with control characters
 * or unpaired UTF-16 surrogates (broken unicode). A batch is accepted or refused as a whole.
 *
 * @example
 * const result = validateBatch(JSON.parse(body));
 * if (!result.ok) console.log(result.details[0]); // { path: 'events.3.status', message: '...' }
 */
export function validateBatch(body: unknown): BatchValidation {
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success) return { ok: false, details: issueDetails(parsed.error.issues, MAX_DETAILS) };
  const details: ErrorDetail[] = [];
  parsed.data.events.forEach((event, index) => {
    for (const field of TEXT_FIELDS) {
      const value = event[field];
      if (typeof value !== 'string' || details.length >= MAX_DETAILS) continue;
      const control = CONTROL.exec(value);
      if (control) {
        const code = control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase();
        details.push({ path: `events.${index}.${field}`, message: `contains control character U+${code}; percent-encode or strip it` });
      } else if (LONE_SURROGATE.test(value)) {
        details.push({ path: `events.${index}.${field}`, message: 'contains an unpaired UTF-16 surrogate (broken unicode); send valid UTF-8' });
      }
    }
  });
  return details.length > 0 ? { ok: false, details } : { ok: true, batch: parsed.data };
}
