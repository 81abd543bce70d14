#!/usr/bin/env node
// Runs every package's tests through turbo (every package, also after one fails), passes the output
// through, and ends with one plain line that adds up vitest's per-package counts:
// "tests: N passed, N failed, N skipped" (plus the test files that failed outside any test, e.g. in
// a beforeAll, when there are some), each failed test with its package and the first line of its
// error (CI shows only the end of the output), then one "coverage" line per package that measures
// it (each package's floors are in its vitest config; `WATCHPOST_COVERAGE=0` turns coverage off).
// Exits with turbo's exit code (a failed count also fails the run).
import { spawn } from 'node:child_process';

const env = { ...process.env, WATCHPOST_COVERAGE: process.env.WATCHPOST_COVERAGE ?? '1' };
const child = spawn('turbo', ['run', 'test', '--concurrency=1', '--continue', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env,
});
/** Per package: Statements, Branches, Functions, Lines in percent, from vitest's text-summary. */
const coverage = new Map();
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedFiles = 0;
/** "package: FAIL file > test" lines, each with the first line of its error once it is read. */
const failures = [];
let awaitingError = null;
let rest = '';
// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const ansi = /\x1b\[[0-9;]*m/g;

function count(line) {
  // turbo prefixes each line with "package:test: "; vitest's summary line starts with "Tests".
  const prefix = /^(\S+?):test:\s*/.exec(line.replace(ansi, ''));
  const plain = line.replace(ansi, '').replace(/^[^:]*:test:\s*/, '');
  const figure = /^(Statements|Branches|Functions|Lines)\s*:\s*([\d.]+)%/.exec(plain);
  if (figure && prefix) {
    const name = prefix[1].replace(/^@watchpost\//, '');
    coverage.set(name, { ...coverage.get(name), [figure[1]]: figure[2] });
  }
  if (awaitingError !== null && plain.trim() !== '') {
    awaitingError.error = plain.trim().slice(0, 300);
    awaitingError = null;
  }
  // vitest names the test file first ("FAIL  src/a.test.ts > suite > test"): a test's own output
  // that merely starts with FAIL is not a failure.
  const failure = /^\s*FAIL\s+(\S+\.(?:test|spec)\.[cm]?[jt]sx?(?:\s.*)?)$/.exec(plain);
  if (failure && prefix) {
    awaitingError = { name: `${prefix[1].replace(/^@watchpost\//, '')}: ${failure[1].trim()}`, error: '' };
    failures.push(awaitingError);
  }
  const files = /^Test Files\s+(\d+) failed/.exec(plain);
  if (files) failedFiles += Number(files[1]);
  if (!/^Tests\s+\d/.test(plain)) return;
  for (const kind of Object.keys(totals)) {
    const m = plain.match(new RegExp(`(\\d+) ${kind}`));
    if (m) totals[kind] += Number(m[1]);
  }
}

child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (rest + chunk.toString('utf8')).split('\n');
  rest = lines.pop() ?? '';
  lines.forEach(count);
});
child.on('close', (code) => {
  if (rest) count(rest);
  const files = failedFiles > 0 ? `; ${failedFiles} test file(s) failed` : '';
  for (const { name, error } of failures) console.log(`\nFAILED ${name}${error ? `\n  ${error}` : ''}`);
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${files}`);
  for (const [name, c] of coverage) {
    console.log(
      `coverage ${name}: lines ${c.Lines ?? '?'}%, statements ${c.Statements ?? '?'}%, ` +
        `functions ${c.Functions ?? '?'}%, branches ${c.Branches ?? '?'}%`,
    );
  }
  process.exit(code !== 0 ? (code ?? 1) : totals.failed + failedFiles > 0 ? 1 : 0);
});
