/**
 * Text people type that the audit log keeps and shows back: key labels, site names, reasons. Each is
 * one printable line (no control, bidi or lone surrogate characters, checked as deny-list reasons are),
 * within a length; it is stored as data and escaped again wherever it is shown.
 */
import { reasonProblem } from '../denylist/reason.js';
import { MAX_KEY_LABEL } from '../db/keys.js';

/** Longest site name, as `watchpost sites create` has always taken. */
export const MAX_SITE_NAME = 100;

function lineProblem(what: string, text: string, max: number): string | null {
  if (text.trim() === '') return `${what} is empty`;
  if (text.length > max) return `${what} is longer than ${max} characters`;
  const problem = reasonProblem(text);
  return problem === null ? null : problem.replace(/^reason/, what);
}

/**
 * Why `label` cannot name a key, or null when it can.
 *
 * @example
 * labelProblem('alice');        // null
 * labelProblem('a\u001b[2J');   // 'label holds a control character (U+001B at 1) ...'
 */
export function labelProblem(label: string): string | null {
  return lineProblem('label', label, MAX_KEY_LABEL);
}

/**
 * Why `name` cannot name a site, or null when it can.
 *
 * @example
 * siteNameProblem('shop (prod)'); // null
 */
export function siteNameProblem(name: string): string | null {
  return lineProblem('name', name, MAX_SITE_NAME);
}

/**
 * Why `reason` cannot be recorded, or null when it can (empty is fine).
 *
 * @example
 * auditReasonProblem('leaked in a CI log'); // null
 */
export function auditReasonProblem(reason: string): string | null {
  return reasonProblem(reason);
}
