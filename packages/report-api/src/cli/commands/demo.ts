import type { Command } from '../args.js';

const usage = `Usage: watchpost demo

The demo is not part of this package. It runs the example Express and Hono apps of the repository
behind the middleware, so it lives beside them in the workspace package @watchpost/demo and runs from
a checkout of the Watchpost repository (Node.js 20 and npm are enough):

  npm run demo                 # at the repository's root; npm run demo -- --help lists its options

To run Watchpost on your own traffic instead: watchpost sites create NAME --tz ZONE, then watchpost serve.`;

/**
 * `watchpost demo`: says where the demo is. The demo (`@watchpost/demo`) depends on this package and on
 * the example apps, never the reverse, so an installed `watchpost` cannot run it.
 *
 * @example
 * await demoCommand.run([], { out: console.log, err: console.error }); // prints how to run it, returns 1
 */
export const demoCommand: Command = {
  usage,
  async run(argv, io) {
    if (argv.includes('--help') || argv.includes('-h')) {
      io.out(usage);
      return 0;
    }
    io.err(usage);
    return 1;
  },
};
