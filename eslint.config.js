// ESLint for the whole workspace: the recommended JavaScript and TypeScript rules (syntax-level,
// no type information, so a run takes seconds). `pnpm lint` runs it per package through turbo.
// @stylistic/eslint-plugin supplies max-len: no source line over 120 columns, the limit Prettier
// formats to; it catches what Prettier cannot break (long strings, comments, template literals).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import boundaries from './eslint.boundaries.js';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.wrangler/**',
      '**/worker-configuration.d.ts',
      '.tools/**',
      '**/coverage/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  // Plain JavaScript here is Node scripts and config files.
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      // No exceptions (URLs, strings, comments included): split long strings into concatenations,
      // long h`` rows into joinHtml(...) parts, and wrap comments.
      '@stylistic/max-len': ['error', { code: 120, tabWidth: 2 }],
      // `_name` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // Layering invariants (ARCHITECTURE.md): what each folder must not import.
  ...boundaries,
);
