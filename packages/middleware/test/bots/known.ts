// Every user agent the project holds: the held-out lists (holdout.ts) and the example user agents of
// the bot table's source, crawler-user-agents (scripts/bots/sources/).
import { readFileSync } from 'node:fs';
import { browserUserAgents, heldOutBots } from './holdout.js';

/** crawler-user-agents' example user agents of its bots (2,116). */
export function sourceBotExamples(): string[] {
  const sources = JSON.parse(
    readFileSync(new URL('../../../../scripts/bots/sources/crawler-user-agents.json', import.meta.url), 'utf8'),
  ) as Array<{ instances?: string[] }>;
  return sources.flatMap((entry) => entry.instances ?? []);
}

/** The held-out bots, the browsers and crawler-user-agents' example instances: 4,264 user agents. */
export function knownUserAgents(): string[] {
  return [...heldOutBots().map((bot) => bot.ua), ...browserUserAgents(), ...sourceBotExamples()];
}
