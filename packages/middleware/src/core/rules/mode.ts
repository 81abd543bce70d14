/**
 * What a rule does when it matches: `block` answers 403, `count` only records a would-be block
 * (dry run), `allow` lets the request through without recording a rule.
 */
export type RuleMode = 'block' | 'count' | 'allow';

const MODES: ReadonlySet<string> = new Set(['block', 'count', 'allow']);

/**
 * Throws a TypeError naming `where` unless `value` is a rule mode.
 *
 * @example
 * assertMode('block', 'options.mode'); // ok
 * assertMode('deny', 'options.mode');  // TypeError: options.mode must be "block", "count" or "allow", got "deny"
 */
export function assertMode(
  value: unknown,
  where: string,
  allowed: ReadonlySet<string> = MODES,
): asserts value is RuleMode {
  if (typeof value !== 'string' || !allowed.has(value)) {
    const names = [...allowed].map((m) => `"${m}"`).join(', ');
    throw new TypeError(`${where} must be one of ${names}, got ${JSON.stringify(value)}`);
  }
}
