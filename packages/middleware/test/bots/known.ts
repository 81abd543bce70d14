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

/**
 * Browsers the held-out list (today's browsers) lacks: Internet Explorer with its Windows tokens
 * (`SLCC2`, `Media Center PC`), old Android and Opera, in-app browsers, consoles and TVs. Written from
 * their well-known shapes, for tests that no bot row finds a name inside a browser's words.
 */
export const RARE_BROWSERS: readonly string[] = [
  'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0; SLCC1; .NET CLR 2.0.50727; Media Center PC 5.0; ' +
    '.NET CLR 3.0.04506)',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0; Touch; MASPJS)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko',
  'Mozilla/5.0 (Windows NT 6.1; Trident/7.0; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729; .NET CLR 3.0.30729; ' +
    'Media Center PC 6.0; .NET4.0C; .NET4.0E; InfoPath.3; rv:11.0) like Gecko',
  'Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.18',
  'Mozilla/5.0 (Linux; U; Android 4.0.3; ko-kr; LG-L160L Build/IML74K) AppleWebkit/534.30 (KHTML, like Gecko) ' +
    'Version/4.0 Mobile Safari/534.30',
  'Mozilla/5.0 (Linux; U; Android 9; en-US; SM-A105F Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) ' +
    'Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/118.4.1 ' +
    'like Chrome/118.0.5993.144 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
    '[FBAN/FBIOS;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/16.6;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
    'Instagram 302.0.0.23.114 (iPhone14,2; iOS 17_0; en_US; en; scale=3.00; 1170x2532; 517004346)',
  'Mozilla/5.0 (Linux; Android 13; SM-S908B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile ' +
    'Safari/537.36 [FB_IAB/FB4A;FBAV/411.0.0.35.121;]',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 ' +
    'Vivaldi/6.5.3206.48',
  'Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0 Waterfox/G5.1.9',
  'Mozilla/5.0 (Windows NT 6.1; rv:52.0) Gecko/20100101 Firefox/52.0 SeaMonkey/2.49.4',
  'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 ' +
    'Chrome/76.0.3809.146 TV Safari/537.36',
  'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15',
  'Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) NF/6.0.1.15.4 ' +
    'NintendoBrowser/5.1.0.20393',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 ' +
    'YaBrowser/24.1.0.0 Safari/537.36',
];
