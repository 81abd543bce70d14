import { describe, expect, it } from 'vitest';
import { ImportLimitError, type LogLine, splitLines } from './lines.js';

async function collect(
  chunks: Iterable<Uint8Array | string>,
  options?: Parameters<typeof splitLines>[1],
): Promise<LogLine[]> {
  async function* source() {
    for (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  }
  const out: LogLine[] = [];
  for await (const lines of splitLines(source(), options)) out.push(...lines);
  return out;
}

describe('splitLines', () => {
  it.each([
    { name: 'LF', chunks: ['a\nb\n'], lines: [{ text: 'a' }, { text: 'b' }] },
    { name: 'CRLF', chunks: ['a\r\nb\r\n'], lines: [{ text: 'a' }, { text: 'b' }] },
    { name: 'no final newline', chunks: ['a\nb'], lines: [{ text: 'a' }, { text: 'b' }] },
    { name: 'a blank line inside', chunks: ['a\n\nb\n'], lines: [{ text: 'a' }, { text: '' }, { text: 'b' }] },
    { name: 'a line split across chunks', chunks: ['ab', 'cd\ne', 'f\n'], lines: [{ text: 'abcd' }, { text: 'ef' }] },
    {
      name: 'a UTF-8 character split across chunks',
      chunks: [Buffer.from([0x61, 0xc3]), Buffer.from([0xa9, 0x0a])],
      lines: [{ text: 'aé' }],
    },
    { name: 'invalid UTF-8', chunks: [Buffer.from([0xff, 0xfe, 0x0a])], lines: [{ text: '\uFFFD\uFFFD' }] },
    { name: 'a line at the limit', chunks: ['12345678\n'], lines: [{ text: '12345678' }] },
    { name: 'a line one byte over', chunks: ['123456789\nok\n'], lines: [{ tooLong: 9 }, { text: 'ok' }] },
    {
      name: 'a long line across chunks',
      chunks: ['12345', '67890', '12\nok'],
      lines: [{ tooLong: 12 }, { text: 'ok' }],
    },
    { name: 'a long last line', chunks: ['ok\n1234567890'], lines: [{ text: 'ok' }, { tooLong: 10 }] },
  ])('$name', async ({ chunks, lines }) => {
    expect(await collect(chunks, { maxLineBytes: 8 })).toEqual(lines);
  });

  it('drops 1 GiB without a newline as it streams by: no buffering, ~constant memory', async () => {
    const block = Buffer.alloc(1024 * 1024, 'a');
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    async function* gigabyte() {
      yield Buffer.from('first\n');
      for (let i = 0; i < 1024; i++) {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
        yield block;
      }
      yield Buffer.from('\nlast\n');
    }
    const out: LogLine[] = [];
    for await (const lines of splitLines(gigabyte())) out.push(...lines);
    expect(out).toEqual([{ text: 'first' }, { tooLong: 1024 ** 3 }, { text: 'last' }]);
    expect(peak).toBeLessThan(4 * 1024 * 1024);
  });

  it('throws ImportLimitError past maxTextBytes, and a TypeError for a bad maxLineBytes', async () => {
    await expect(collect(['a\n'.repeat(10)], { maxTextBytes: 5 })).rejects.toThrow(ImportLimitError);
    await expect(collect(['a\n'], { maxLineBytes: 0 })).rejects.toThrow(/maxLineBytes/);
  });
});
