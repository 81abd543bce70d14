// Writes the generated OpenAPI document to a temp file and lints it with Redocly's recommended rules.
// Exit code: Redocly's (non-zero on any error). Run: `pnpm lint:openapi` (part of `pnpm lint`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocument } from '../src/openapi/document.js';

const dir = mkdtempSync(join(tmpdir(), 'watchpost-openapi-'));
const file = join(dir, 'openapi.json');
writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
const result = spawnSync('redocly', ['lint', file, '--extends', 'recommended', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', ...process.env },
  shell: process.platform === 'win32',
});
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
