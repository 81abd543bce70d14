// The layering invariants of ARCHITECTURE.md, enforced with ESLint's `no-restricted-imports`: each
// block names a folder, what it must not import, and why. `pnpm lint` fails when one is broken, and
// packages/report-api/test/boundaries.test.ts proves each rule bites.

const NODE_AND_FRAMEWORKS = [
  { group: ['node:*'], message: 'the engine runs in Workers and browsers too: no node:* (use a parameter)' },
  { group: ['express', 'hono', 'hono/*', '@hono/*', 'ioredis'], message: 'frameworks and clients live in adapters' },
  {
    group: ['**/express/**', '**/hono/**', '**/node/**', '**/redis/**'],
    message: 'core and protocol know no adapter; adapters import core',
  },
];

const ABOVE_STORAGE = [
  'alerts',
  'reports',
  'queries',
  'cases',
  'dashboard',
  'http',
  'ingest',
  'importers',
  'cli',
  'denylist',
  'sites',
  'openapi',
];

/** `no-restricted-imports` for src/ paths: `folders` refused. */
function refuseFolders(folders, message) {
  return { regex: `^(\\.\\./)+(${folders.join('|')})/`, message };
}

const tests = ['**/*.test.ts', '**/test/**', '**/bench/**'];
const STORAGE = 'storage knows no alerts, reports, pages or HTTP: they call the store, not the reverse';
const TOP = 'the CLI sits on top: nothing below imports it';
const PRODUCT = 'the demo and the example apps sit on top of the published packages, never below them';
const AS_A_USER = 'the demo uses the packages through their exports, as a user would';
const LAZY = 'the CLI imports a command or the PostgreSQL store with import() when it is used, not at start';
const PAGES = {
  regex: '^(\\.\\./)+(?!dashboard/urls\\.js$)dashboard/',
  message: 'pages sit on top; below them only dashboard/urls.js (links in alerts) is shared',
};

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
    ignores: tests,
    rules: { 'no-restricted-imports': ['error', { patterns: [refuseFolders(ABOVE_STORAGE, STORAGE)] }] },
  },
  {
    files: ['packages/report-api/src/{escape,time}/**/*.ts'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./', message: 'escaping and time helpers stand alone: every layer uses them' }] },
      ],
    },
  },
  {
    files: ['packages/report-api/src/{reports,alerts,http,ingest,importers,denylist,openapi}/**/*.ts'],
    ignores: tests,
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
  // The CLI loads a command's module only when that command runs, and the PostgreSQL store only for a
  // postgres:// URL (dynamic import()): `watchpost import` then holds no HTTP server, dashboard or pg
  // driver, ~20 MB of its peak memory (bench/import.bench.ts). The product rule is repeated, as above.
  {
    files: ['packages/report-api/src/cli/main.ts', 'packages/report-api/src/cli/open-store.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@watchpost/demo', '@watchpost/demo/*', '@watchpost/example-*'], message: PRODUCT },
            { regex: '^\\./commands/', allowTypeImports: true, message: LAZY },
            { regex: '^\\.\\./db/postgres/', allowTypeImports: true, message: LAZY },
          ],
        },
      ],
    },
  },
];
