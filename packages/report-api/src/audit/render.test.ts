import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../db/audit.js';
import { auditLines } from './render.js';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  siteId: 'site_a',
  at: Date.UTC(2026, 11, 4, 21),
  actor: { kind: 'key', label: 'alice', keyId: 'key_1' },
  action: 'denylist.add',
  target: 'deny_1',
  reason: 'scanner',
  before: null,
  after: null,
  ...over,
});

describe('auditLines', () => {
  it('shows time, actor, action, target and reason on one line', () => {
    expect(auditLines([entry({}), entry({ actor: { kind: 'cli', label: 'cli', keyId: null }, reason: '' })])).toEqual([
      '2026-12-04T21:00:00.000Z  key "alice" (key_1)  denylist.add  deny_1  "scanner"',
      '2026-12-04T21:00:00.000Z  cli "cli"  denylist.add  deny_1',
    ]);
  });

  it.each([
    ['an OSC 8 hyperlink', 'x\u001b]8;;https://evil.example\u0007y', '\\x1B]8;;https://evil.example\\x07'],
    ['a C1 CSI', 'a\u009b2Jb', '\\x9B2J'],
    ['a newline (a forged second line)', 'a\n2026-01-01T00:00:00.000Z  cli "cli"', '\\x0A2026'],
    ['a bidi override', 'a\u202Eb', '\\u202E'],
    ['a lone surrogate', 'a\uD800b', '\uFFFD'],
  ])('escapes %s in labels and reasons', (_name, text, shown) => {
    const [line] = auditLines([entry({ actor: { kind: 'key', label: text, keyId: 'key_1' }, reason: text })]);
    expect(line).not.toMatch(/[\p{Cc}\u202e]/u);
    expect(line!.split(shown).length - 1).toBe(2);
  });

  it('cuts a long reason (the JSON output has it whole)', () => {
    const [line] = auditLines([entry({ reason: 'r'.repeat(1000) })]);
    expect(line!.length).toBeLessThan(250);
    expect(line).toMatch(/r…"$/);
  });
});
