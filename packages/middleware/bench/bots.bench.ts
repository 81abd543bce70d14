/**
 * User-agent classification: held-out accuracy, then cost per call beside isbot in the same run.
 * Run: `npx tsx bench/bots.bench.ts`. Workloads are real browsers' user agents and device-detector's
 * named bots (scripts/bots/holdout/), none of which the table was built from. "uncached" classifies
 * each user agent without caching it (every call a miss); "cached" repeats warmed user agents.
 * ns/op is this process's CPU time, the cheapest of three rounds (the machine may be shared).
 */
import { isbot, isbotMatch } from 'isbot';
import { builtInRows, createUaClassifier } from '../src/core/bots/classify.js';
import { browserUserAgents, heldOutBots, scoreHoldout } from '../test/bots/holdout.js';

/**
 * A user agent as a request gives it: Node reads header values as Latin-1, so a flat one-byte string
 * (UTF-8 bytes, if any, as Latin-1 characters). Cut from the list files they were two-byte slices of
 * one large string (the bot list holds a few characters beyond Latin-1), which V8 lower-cases and
 * reads more slowly than any header.
 */
const asHeader = (ua: string) => Buffer.from(ua, 'utf8').toString('latin1');
const browsers = browserUserAgents().map(asHeader);
const bots = heldOutBots().map((bot) => asHeader(bot.ua));

const score = scoreHoldout(createUaClassifier(), heldOutBots(), browserUserAgents());
const share = (value: number) => `${(value * 100).toFixed(1)}%`;
console.log(
  `held out: ${score.bots} named bots, right category ${share(score.rightCategory)}, ` +
    `bot recall ${share(score.botRecall)}; ${score.browsers} browsers, taken for bots ${share(score.browsersAsBots)}`,
);
const isbotRecall = heldOutBots().filter(({ ua }) => isbot(ua)).length / bots.length;
const isbotBrowsers = browserUserAgents().filter((ua) => isbot(ua)).length / browsers.length;
console.log(
  `isbot on the same lists: bot recall ${share(isbotRecall)}, browsers taken for bots ${share(isbotBrowsers)}`,
);

function time(uas: readonly string[], classify: (ua: string) => unknown, minMs = 300): number {
  for (const ua of uas) classify(ua);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    let ops = 0;
    const start = performance.now();
    const cpu = process.cpuUsage();
    do {
      for (const ua of uas) classify(ua);
      ops += uas.length;
    } while (performance.now() - start < minMs);
    const used = process.cpuUsage(cpu);
    best = Math.min(best, ((used.user + used.system) * 1e3) / ops);
  }
  return best;
}

// The held-out bots a table row names, and those only isbot's generic patterns catch (their category
// is then guessed from their words, a second scan).
const rowNames = new Set(builtInRows().map((row) => row.name));
const sorter = createUaClassifier({ maxCachedLength: 0 });
const generic = new Set(bots.filter((ua) => !rowNames.has(sorter(ua).name)));

const rows: Array<Record<string, string>> = [];
for (const [workload, uas] of [
  ['browsers', browsers],
  ['  every one scanned', browsers],
  ['named bots', bots],
  ['  a table names', bots.filter((ua) => !generic.has(ua))],
  ['  generic patterns', [...generic]],
] as const) {
  // `scanEvery`: without the shortcut for user agents of a common browser's shape (browser-shape.ts).
  const uncached = createUaClassifier({ maxCachedLength: 0, scanEvery: workload === '  every one scanned' });
  const cached = createUaClassifier({ cacheSize: 10_000 });
  rows.push({
    workload,
    'watchpost uncached ns/op': time(uas, uncached).toFixed(0),
    'watchpost cached ns/op': time(uas, cached).toFixed(0),
    'isbot() ns/op': time(uas, isbot).toFixed(0),
    'isbotMatch() ns/op': time(uas, isbotMatch).toFixed(0),
  });
}
console.table(rows);
