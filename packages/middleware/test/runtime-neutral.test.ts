import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every source file reachable by relative imports from `entry`, with the bare imports each makes. */
function importGraph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    const bare: string[] = [];
    for (const [, statement, spec] of text.matchAll(/(?:^|\n)\s*((?:import|export)[^'"]*?)from\s+'([^']+)'/g)) {
      if (spec!.startsWith('.')) stack.push(resolve(dirname(file), spec!.replace(/\.js$/, '.ts')));
      // `import type` is erased at build time; only value imports reach the runtime.
      else if (!/^(?:import|export)\s+type\b/.test(statement!)) bare.push(spec!);
    }
    seen.set(file, bare);
  }
  return seen;
}

describe('runtime neutrality', () => {
  it.each(['hono/index.ts', 'core/index.ts'])('%s reaches no node:* module (workerd runs it)', (entry) => {
    const graph = importGraph(resolve(SRC, entry));
    expect(graph.size).toBeGreaterThan(entry.startsWith('hono') ? 10 : 15);
    const offenders = [...graph].flatMap(([file, specs]) =>
      specs.filter((s) => s.startsWith('node:')).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the check would catch one (the Express adapter does import node code)', () => {
    const graph = importGraph(resolve(SRC, 'express/index.ts'));
    expect([...graph.values()].flat().some((s) => s.startsWith('node:'))).toBe(true);
  });
});
