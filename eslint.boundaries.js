// The layering invariants of ARCHITECTURE.md, enforced with ESLint's `no-restricted-imports`: each
// block names a folder, what it must not import, and why. `pnpm lint` fails when one is broken.
// `KNOWN_LEAKS` lists the files that break a rule today (issue 20's storage refactor removes them);
// each may keep only the one import it has, and the list may only shrink.

const NODE_AND_FRAMEWORKS = [
  { group: ['node:*'], message: 'the engine runs in Workers and browsers too: no node:* (use a parameter)' },
  { group: ['express', 'hono', 'hono/*', '@hono/*', 'ioredis'], message: 'frameworks and clients live in adapters' },
  {
    group: ['**/express/**', '**/hono/**', '**/node/**', '**/redis/**'],
    message: 'core and protocol know no adapter; adapters import core',
  },
];

const ABOVE_STORAGE = ['alerts', 'reports', 'dashboard', 'http', 'ingest', 'importers', 'cli', 'denylist'];

/** Files that break a rule today, each with the one import (from src/) it keeps until the refactor. */
const KNOWN_LEAKS = {
  'packages/report-api/src/db/store.ts': 'alerts/store.js', // the AlertStore type
  'packages/report-api/src/db/sqlite/open.ts': 'alerts/sqlite.js', // sqliteAlertStore
  'packages/report-api/src/db/postgres/open.ts': 'alerts/postgres.js', // postgresAlertStore
};
const leakFiles = Object.keys(KNOWN_LEAKS);
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `no-restricted-imports` for src/ paths: `folders` refused, except `keep` (a path under src/). */
function refuseFolders(folders, message, keep) {
  const except = keep === undefined ? '' : `(?!${escapeRegex(keep)}$)`;
  return { regex: `^(\\.\\./)+${except}(${folders.join('|')})/`, message };
}

const tests = ['**/*.test.ts', '**/test/**', '**/bench/**'];
const STORAGE = 'storage knows no alerts, reports, pages or HTTP: they call the store, not the reverse';
const TOP = 'the CLI sits on top: nothing below imports it';
const PRODUCT = 'the demo and the example apps sit on top of the published packages, never below them';
const AS_A_USER = 'the demo uses the packages through their exports, as a user would';
const PAGES_EXCEPT = (keep) => ({
  regex:
    '^(\\.\\./)+(?!dashboard/urls\\.js$)' +
    `${keep?.startsWith('dashboard/') ? `(?!${escapeRegex(keep)}$)` : ''}dashboard/`,
  message: 'pages sit on top; below them only dashboard/urls.js (links in alerts) is shared',
});
const PAGES = PAGES_EXCEPT(undefined);

export default [
  {
    files: ['packages/middleware/src/core/**/*.ts', 'packages/middleware/src/protocol/**/*.ts'],
    ignores: tests,
    rules: { 'no-restricted-imports': ['error', { patterns: NODE_AND_FRAMEWORKS }] },
  },
  {
    files: ['packages/middleware/src/protocol/**/*.ts'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...NODE_AND_FRAMEWORKS,
            {
              regex: '^\\.\\./core/(?!ip/)',
              message: 'the wire format stands alone: zod and the IP parser only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/edge-worker/src/**/*.ts'],
    ignores: [...tests, 'packages/edge-worker/src/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'the worker runs on workerd: no node:* on the request path' }] },
      ],
    },
  },
  {
    files: ['packages/report-api/src/db/**/*.ts'],
    ignores: [...tests, ...leakFiles],
    rules: { 'no-restricted-imports': ['error', { patterns: [refuseFolders(ABOVE_STORAGE, STORAGE)] }] },
  },
  {
    files: ['packages/report-api/src/escape/**/*.ts'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./', message: 'the escapers stand alone: every layer uses them' }] },
      ],
    },
  },
  {
    files: ['packages/report-api/src/{reports,alerts,http,ingest,importers,denylist,openapi}/**/*.ts'],
    ignores: [...tests, ...leakFiles],
    rules: { 'no-restricted-imports': ['error', { patterns: [refuseFolders(['cli'], TOP), PAGES] }] },
  },
  // Between packages (typescript-eslint's copy of the rule, so these add to the folder rules above):
  // the published packages never import the demo or the example apps (they depend on them, not the
  // reverse), and the demo reaches the packages only through their exports.
  {
    files: ['packages/{middleware,edge-worker,report-api}/src/**/*.ts'],
    ignores: tests,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@watchpost/demo', '@watchpost/demo/*', '@watchpost/example-*'], message: PRODUCT }] },
      ],
    },
  },
  {
    files: ['packages/demo/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@watchpost/[^/]+/(src|dist|test)/|^(\\.\\./)+(packages/)?[a-z-]+/(src|dist|test)/',
              message: AS_A_USER,
            },
          ],
        },
      ],
    },
  },
  // Pages read what they show through the same modules as the JSON API (reports/, queries/): storage
  // only as types (typescript-eslint's copy of the rule, so the product rule is repeated here).
  {
    files: ['packages/report-api/src/dashboard/**/*.ts'],
    ignores: tests,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@watchpost/demo', '@watchpost/demo/*', '@watchpost/example-*'], message: PRODUCT },
            {
              regex: '^(\\.\\./)+db/',
              allowTypeImports: true,
              message: 'pages read through reports/ and queries/, the modules the JSON API answers from',
            },
          ],
        },
      ],
    },
  },
  // Each known leak keeps its one import and nothing more.
  ...Object.entries(KNOWN_LEAKS).map(([file, keep]) => ({
    files: [file],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: file.includes('/src/db/')
            ? [refuseFolders(ABOVE_STORAGE, STORAGE, keep)]
            : [refuseFolders(['cli'], TOP, keep), PAGES_EXCEPT(keep)],
        },
      ],
    },
  })),
];
