import type { AuditEntry } from '../db/audit.js';
import { visibleText } from '../escape/visible.js';

/** Longest reason shown on one line of `auditLines`; `--json` has the whole text. */
const REASON_SHOWN = 120;

/** Text in double quotes, invisible characters escaped (`visibleText`), inner quotes escaped. */
const quoted = (text: string, maxLength?: number) =>
  `"${visibleText(text, maxLength === undefined ? {} : { maxLength }).replaceAll('"', '\\"')}"`;

/**
 * A site's audit entries as plain lines for a terminal, oldest first: time (UTC), actor, action,
 * target and reason. Labels and reasons are attacker-chosen text: every control, bidi and separator
 * character is shown as an escape (`visibleText`), so a line stays one line and shows what is stored.
 *
 * @example
 * auditLines(page.entries);
 * // ['2026-12-04T21:00:00.000Z  key "alice" (key_…)  key.revoke  key_…  "leaked"']
 */
export function auditLines(entries: readonly AuditEntry[]): string[] {
  return entries.map((e) => {
    const when = new Date(e.at).toISOString();
    const who =
      e.actor.kind === 'key'
        ? `key ${quoted(e.actor.label)}${e.actor.keyId ? ` (${visibleText(e.actor.keyId)})` : ''}`
        : `${e.actor.kind} ${quoted(e.actor.label)}`;
    const reason = e.reason === '' ? '' : `  ${quoted(e.reason, REASON_SHOWN)}`;
    return `${when}  ${who}  ${visibleText(e.action)}  ${visibleText(e.target)}${reason}`;
  });
}
