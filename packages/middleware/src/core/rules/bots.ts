import type { BotCategory } from '../../protocol/index.js';
import { botCategorySchema } from '../../protocol/index.js';
import { assertMode, type RuleMode } from './mode.js';

/** Per bot category: `block`, `count` or `allow`. */
export type BotModes = Partial<Record<BotCategory, RuleMode>>;

/** Blocked unless told otherwise: vulnerability scanners, and clients posing as a verified crawler. */
const BLOCKED_BY_DEFAULT: ReadonlySet<BotCategory> = new Set(['scanner', 'impersonator']);

/** Scanners and impersonators are blocked; every other category, search engines included, is allowed. */
export const DEFAULT_BOT_MODES: Readonly<Record<BotCategory, RuleMode>> = Object.freeze(
  Object.fromEntries(
    botCategorySchema.options.map((category) => [category, BLOCKED_BY_DEFAULT.has(category) ? 'block' : 'allow']),
  ) as Record<BotCategory, RuleMode>,
);

/**
 * Merges user bot modes over the defaults, checking every key and value once.
 *
 * @example
 * compileBotModes({ 'ai-crawler': 'block' })['ai-crawler']; // 'block'
 * compileBotModes({ robots: 'block' }); // TypeError: options.bots has no category "robots"
 */
export function compileBotModes(modes: BotModes | undefined): Readonly<Record<BotCategory, RuleMode>> {
  if (modes === undefined) return DEFAULT_BOT_MODES;
  if (modes === null || typeof modes !== 'object')
    throw new TypeError(`options.bots must be an object, got ${JSON.stringify(modes)}`);
  const merged: Record<string, RuleMode> = { ...DEFAULT_BOT_MODES };
  for (const [category, mode] of Object.entries(modes)) {
    if (!(category in DEFAULT_BOT_MODES)) {
      throw new TypeError(
        `options.bots has no category ${JSON.stringify(category)}; known: ${botCategorySchema.options.join(', ')}`,
      );
    }
    assertMode(mode, `options.bots["${category}"]`);
    merged[category] = mode;
  }
  return Object.freeze(merged) as Record<BotCategory, RuleMode>;
}
