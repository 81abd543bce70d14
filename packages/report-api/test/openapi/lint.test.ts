import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `pnpm lint` runs the same script; running it here too keeps the contract checked wherever tests run.
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

describe('the OpenAPI document under Redocly recommended rules', () => {
  it('has no errors and at most the one known warning (no 4xx on /healthz)', () => {
    const result = spawnSync(tsx, ['scripts/lint-openapi.ts', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH ?? ''}` },
      timeout: 60_000,
    });
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; severity: string; location: Array<{ pointer: string }> }>;
    };
    expect(report.totals.errors).toBe(0);
    expect(report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`)).toEqual([
      'operation-4xx-response #/paths/~1healthz/get/responses',
    ]);
    expect(result.status).toBe(0);
  }, 60_000);
});
