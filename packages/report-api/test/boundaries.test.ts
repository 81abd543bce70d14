import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rules of ARCHITECTURE.md (eslint.boundaries.js) must bite: each forbidden import
// below is linted as if it were in the named file, and must be reported; each allowed one must not.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const x = 1;\n`, { filePath });
  // `@typescript-eslint/no-restricted-imports` carries the rules between packages.
  return (result?.messages ?? []).filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
}

const forbidden: Array<[string, string]> = [
  ['packages/middleware/src/core/engine.ts', "import { createHash } from 'node:crypto';"],
  ['packages/middleware/src/core/rules/probes.ts', "import express from 'express';"],
  ['packages/middleware/src/core/engine.ts', "import { watchpost } from '../express/index.js';"],
  ['packages/middleware/src/protocol/event.ts', "import { createEngine } from '../core/engine.js';"],
  ['packages/edge-worker/src/worker.ts', "import { readFileSync } from 'node:fs';"],
  ['packages/report-api/src/db/sqlite/events.ts', "import { buildReport } from '../../reports/build.js';"],
  ['packages/report-api/src/db/store.ts', "import { renderPage } from '../dashboard/layout.js';"],
  ['packages/report-api/src/db/sqlite/open.ts', "import { buildReport } from '../../reports/build.js';"],
  ['packages/report-api/src/escape/markdown.ts', "import { apiError } from '../http/errors.js';"],
  ['packages/report-api/src/reports/build.ts', "import { runCli } from '../cli/main.js';"],
  ['packages/report-api/src/cli/commands/demo.ts', "import { startDemo } from '@watchpost/demo';"],
  ['packages/report-api/src/app.ts', "import { createExampleApp } from '@watchpost/example-hono';"],
  ['packages/middleware/src/express/index.ts', "import { startDemo } from '@watchpost/demo';"],
  ['packages/demo/src/run.ts', "import { createApp } from '../../report-api/src/app.js';"],
  ['packages/demo/src/run.ts', "import { createApp } from '@watchpost/report-api/src/app.js';"],
  ['packages/report-api/src/alerts/detect.ts', "import { dashboardRoutes } from '../dashboard/routes.js';"],
  ['packages/report-api/src/dashboard/data.ts', "import { openSqliteStore } from '../db/sqlite/open.js';"],
  ['packages/report-api/src/db/sqlite/open.ts', "import { detectIncidents } from '../../alerts/detect.js';"],
  ['packages/report-api/src/db/store.ts', "import type { AlertKind } from '../alerts/incident.js';"],
  ['packages/report-api/src/time/days.ts', "import { buildDailyReport } from '../reports/build.js';"],
  ['packages/report-api/src/dashboard/pages/ip.ts', "import { toDrillDown } from '../../db/drilldown.js';"],
  ['packages/report-api/src/dashboard/routes.ts', "import { startDemo } from '@watchpost/demo';"],
  ['packages/report-api/src/cli/main.ts', "import { serveCommand } from './commands/serve.js';"],
  ['packages/report-api/src/cli/open-store.ts', "import { openPostgresStore } from '../db/postgres/open.js';"],
];

const allowed: Array<[string, string]> = [
  ['packages/middleware/src/protocol/event.ts', "import { normalizeIp } from '../core/ip/parse.js';"],
  ['packages/middleware/src/express/index.ts', "import { createEngine } from '../core/engine.js';"],
  ['packages/report-api/src/reports/build.ts', "import type { Store } from '../db/store.js';"],
  ['packages/report-api/src/alerts/service.ts', "import { reportUrl } from '../dashboard/urls.js';"],
  ['packages/report-api/src/dashboard/data.ts', "import { buildReport } from '../reports/build.js';"],
  ['packages/report-api/src/dashboard/data.ts', "import type { Store } from '../db/store.js';"],
  ['packages/report-api/src/dashboard/data.ts', "import { createDrillDowns } from '../queries/drilldown.js';"],
  ['packages/middleware/src/core/engine.test.ts', "import { createServer } from 'node:http';"],
  ['packages/demo/src/run.ts', "import { createApp } from '@watchpost/report-api';"],
  ['packages/demo/src/apps.ts', "import { createExampleApp } from '@watchpost/example-hono';"],
  ['packages/report-api/src/cli/main.ts', "import type { Command } from './commands/serve.js';"],
  ['packages/report-api/test/poison/harness.ts', "import { createExampleApp } from '@watchpost/example-hono';"],
];

describe('layer boundaries (eslint.boundaries.js)', () => {
  it.each(forbidden)('refuses in %s: %s', async (file, code) => {
    expect(await restricted(file, code)).not.toEqual([]);
  });
  it.each(allowed)('allows in %s: %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
