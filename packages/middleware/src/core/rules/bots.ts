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
    // Object.hasOwn, not `in`: `constructor` is in every object.
    if (!Object.hasOwn(DEFAULT_BOT_MODES, category)) {
      throw new TypeError(
        `options.bots has no category ${JSON.stringify(category)}; known: ${botCategorySchema.options.join(', ')}`,
      );
    }
    assertMode(mode, `options.bots["${category}"]`);
    merged[category] = mode;
  }
  return Object.freeze(merged) as Record<BotCategory, RuleMode>;
}

/** Per bot name (as the classifier names it, any case): `block`, `count` or `allow`. */
export type NamedBotModes = Readonly<Record<string, RuleMode>>;

/** Longest bot name a policy may give. */
const MAX_BOT_NAME = 64;

/**
 * Compiles modes per named bot into a Map keyed by the lower-cased name (looked up with text from
 * user agents, so never a plain object), or null when none are given. A named bot's mode takes the
 * place of its category's; impersonators are not named bots (their claimed name is a lie).
 *
 * @example
 * compileNamedBotModes({ GPTBot: 'block', Googlebot: 'allow' })?.get('gptbot'); // 'block'
 * compileNamedBotModes({ '': 'block' }); // TypeError: options.namedBots: "" is not a bot name
 */
export function compileNamedBotModes(named: NamedBotModes | undefined): ReadonlyMap<string, RuleMode> | null {
  if (named === undefined) return null;
  if (named === null || typeof named !== 'object' || Array.isArray(named)) {
    throw new TypeError(`options.namedBots must be an object, got ${JSON.stringify(named)}`);
  }
  const modes = new Map<string, RuleMode>();
  for (const [name, mode] of Object.entries(named)) {
    if (name.trim() === '' || name.length > MAX_BOT_NAME) {
      throw new TypeError(
        `options.namedBots: ${JSON.stringify(name)} is not a bot name (1 to ${MAX_BOT_NAME} characters)`,
      );
    }
    assertMode(mode, `options.namedBots[${JSON.stringify(name)}]`);
    modes.set(name.toLowerCase(), mode);
  }
  return modes.size === 0 ? null : modes;
}
