import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('watchpost demo (in the published CLI)', () => {
  it('says how to run the demo package and exits 1', async () => {
    const { io, out, err } = capture();
    expect(await runCli(['demo', '--port', '0'], io)).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain('@watchpost/demo');
    expect(err.join('\n')).toContain('npm run demo');
  });

  it('prints the same text on stdout with --help and exits 0', async () => {
    const { io, out } = capture();
    expect(await runCli(['demo', '--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^Usage: watchpost demo/);
  });
});
