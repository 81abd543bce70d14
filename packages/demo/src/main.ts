#!/usr/bin/env node
import { forTerminal } from '@watchpost/report-api';
import { runDemoCli } from './cli.js';

// The root `npm run demo` runs this file with tsx. The report's findings quote traffic, so what a
// terminal would act on (ESC, C1 controls, bidi overrides) is written as `\uNNNN`.
runDemoCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(forTerminal(text) + '\n'),
  err: (text) => process.stderr.write(forTerminal(text) + '\n'),
}).then((code) => {
  process.exitCode = code;
});
