#!/usr/bin/env node
import { runCli } from './main.js';

// The `watchpost` executable. It always runs: npm, npx and pnpm start bins through symlinks or shims,
// so comparing `import.meta.url` with `process.argv[1]` (as main.ts once did) silently did nothing.
process.exitCode = await runCli(process.argv.slice(2));
