/**
 * The user agents of today's common browsers, spelled out whole: `Mozilla/5.0 (platform)` and the
 * engine's tokens, each from a short list, with nothing else between them and nothing after. A user
 * agent of this shape is a browser's, so the classifier answers at once instead of looking for bot
 * names in it (~0.75 µs a browser). Only fixed words, version numbers and the few letters device and
 * build names use may fill a slot: a bot that says who it is adds a token (`(compatible; Googlebot/2.1;
 * …)`) and so falls outside the shape. Anyone can of course send a browser's user agent; the shape
 * only spares honest browsers the scan, it never decides for a bot that names itself.
 * `browser-shape.test.ts` holds it to that against every bot user agent the project has.
 */
const version = String.raw`\d{1,9}(?:\.\d{1,9}){0,3}`;
const iosVersion = String.raw`\d{1,2}(?:_\d{1,2}){1,2}`;

/**
 * What an Android phone calls itself: the reduced `K`, a Pixel or Nexus, or a maker's model code in
 * capitals and digits (`SM-A155F`, `CPH2653`; never one that says BOT, SPIDER, CRAWL or SCAN), with
 * its build and a WebView's `wv` perhaps.
 */
const androidModel =
  String.raw`(?:K|(?:Pixel|Nexus) \d{1,2}[A-Za-z]{0,2}(?: XL| Pro| a)?` +
  String.raw`|(?![A-Z0-9-]*(?:BOT|SPIDER|CRAWL|SCAN))[A-Z0-9][A-Z0-9-]{1,15})` +
  String.raw`(?: Build/[A-Z0-9._]{3,32})?(?:; wv)?`;

const platforms = [
  String.raw`Windows NT \d{1,2}\.\d(?:; Win64; x64|; WOW64)?`,
  String.raw`Macintosh; Intel Mac OS X \d{2}(?:[._]\d{1,2}){0,2}`,
  'X11; Linux x86_64',
  'X11; Ubuntu; Linux x86_64',
  String.raw`X11; CrOS (?:x86_64|aarch64|armv7l) ${version}`,
  String.raw`Linux; Android \d{1,2}(?:\.\d{1,2}){0,2}; ${androidModel}`,
  String.raw`iPhone; CPU iPhone OS ${iosVersion} like Mac OS X`,
  String.raw`iPad; CPU OS ${iosVersion} like Mac OS X`,
];

/** Firefox's platforms end in its version, `rv:…`. */
const firefoxPlatforms = [
  String.raw`Windows NT \d{1,2}\.\d(?:; Win64; x64|; WOW64)?`,
  String.raw`Macintosh; Intel Mac OS X \d{2}\.\d{1,2}`,
  'X11; Linux x86_64',
  'X11; Ubuntu; Linux x86_64',
  String.raw`Android \d{1,2}(?:\.\d{1,2})?; Mobile`,
];

const chromium =
  String.raw`(?:Version/4\.0 )?(?:SamsungBrowser/${version} )?Chrome/${version} (?:Mobile )?Safari/${version}` +
  String.raw`(?: Edg/${version}| OPR/${version})?`;
/** iOS browsers: Safari, and Chrome, Google's app, Firefox and Edge, which all use its engine. */
const ios =
  String.raw`(?:(?:CriOS|GSA|FxiOS|EdgiOS)/${version} )?(?:Version/${version} )?Mobile/\d{1,2}[A-Z]\d{1,4}[a-z]?` +
  String.raw`(?: Safari/${version}(?: Brave| Ddg/${version}| OPT/${version})?)?`;
const desktopSafari = String.raw`Version/${version} Safari/${version}(?: Ddg/${version})?`;

/** Matches a whole user agent of the shape above (case-sensitive, as browsers spell it). */
export const BROWSER_SHAPE = new RegExp(
  String.raw`^Mozilla/5\.0 \((?:` +
    String.raw`(?:${platforms.join('|')})\) AppleWebKit/${version} \(KHTML, like Gecko\) ` +
    `(?:${chromium}|${ios}|${desktopSafari})` +
    String.raw`|(?:${firefoxPlatforms.join('|')}); rv:${version}\) Gecko/(?:\d{8}|${version}) Firefox/${version}` +
    ')$',
);

/** The first letters of the platforms above: Windows, Macintosh, X11, Linux, iPhone and iPad, Android. */
const PLATFORM_INITIALS = new Uint8Array(128);
for (const letter of 'WMXLiA') PLATFORM_INITIALS[letter.charCodeAt(0)] = 1;

/** Longer than this, a user agent is not a plain browser's (the longest of the shape is ~250). */
const MAX_BROWSER_LENGTH = 320;

/**
 * Whether `ua` is a browser's user agent of the common shape (see above). False says nothing:
 * the user agent is then classified the long way.
 *
 * @example
 * isPlainBrowser('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'); // true
 * isPlainBrowser('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'); // false
 */
export function isPlainBrowser(ua: string): boolean {
  // Most bots are told apart before the expression runs (~25 ns a call, ~100 for a long near miss):
  // they do not start as a browser does (`Mozilla/5.0 (`, read by character codes: `startsWith` alone
  // costs as much as the expression), their parenthesis opens with `compatible`, not a platform, or
  // they end in their own token, where every shape above ends in a version or `Brave`.
  if (ua.length > MAX_BROWSER_LENGTH || ua.charCodeAt(0) !== 77 || ua.charCodeAt(12) !== 40) return false;
  const last = ua.charCodeAt(ua.length - 1);
  if (!((last >= 48 && last <= 57) || last === 101)) return false;
  return PLATFORM_INITIALS[ua.charCodeAt(13)] === 1 && BROWSER_SHAPE.test(ua);
}
