import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { hostileText } from './hostile-text.js';
import { EMPTY_MARKDOWN, markdownCode, markdownText } from './markdown.js';
import { visibleText } from './visible.js';

// linkify on: chat tools and GitHub turn bare URLs into links, so the tests do too.
const md = new MarkdownIt('commonmark', { linkify: true }).enable('linkify');
const gfm = new MarkdownIt({ html: true, linkify: true });

interface Token {
  type: string;
  content: string;
  children: Token[] | null;
}

/** Inline tokens of `source` rendered as one paragraph, and the visible text they carry. */
function parse(parser: typeof gfm, source: string): { kinds: string[]; text: string } {
  const tokens = parser.parseInline(source, {}) as Token[];
  const kinds: string[] = [];
  let text = '';
  for (const token of tokens.flatMap((t) => t.children ?? [])) {
    kinds.push(token.type);
    if (token.type === 'text' || token.type === 'code_inline' || token.type === 'text_special') text += token.content;
  }
  return { kinds, text };
}

const INERT = new Set(['text', 'code_inline', 'text_special']);
const hostile = [
  '/.env[Open_the_dashboard](https://evil.example/phish)',
  '![x](https://evil.example/p.png)',
  '<https://evil.example>',
  'https://evil.example/phish',
  'www.evil.example',
  '<img src=x onerror=alert(1)>',
  '**bold** _it_ ~~s~~',
  '`code` ``x``',
  '# heading',
  '- item',
  '| a | b |',
  'a\nb\r\n# c',
  '&amp; &#x3C;',
  '` ',
  ' `',
  '   ',
  '\\',
  '[a]: https://evil.example',
];

describe('markdownCode', () => {
  it('shows a phishing path as code, with no link', () => {
    const out = markdownCode('/.env[Open_the_dashboard](https://evil.example/phish)');
    expect(out).toBe('`/.env[Open_the_dashboard](https://evil.example/phish)`');
    expect(gfm.renderInline(out)).toBe('<code>/.env[Open_the_dashboard](https://evil.example/phish)</code>');
  });

  it.each(hostile)('%j renders as one code span of its visible text', (text) => {
    for (const parser of [md, gfm]) {
      const parsed = parse(parser, `• ${markdownCode(text)} end`);
      expect(parsed.kinds.every((kind) => INERT.has(kind))).toBe(true);
      expect(parsed.text).toBe(`• ${visibleText(text)} end`);
    }
  });

  it('shows the empty string as (empty)', () => {
    expect(markdownCode('')).toBe(EMPTY_MARKDOWN);
  });

  it('for any string: no link, image or HTML node, and the same visible text', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const source = `• ${markdownCode(text)}: ${markdownCode(text)} x`;
        const shown = text === '' ? EMPTY_MARKDOWN : visibleText(text);
        for (const parser of [md, gfm]) {
          const parsed = parse(parser, source);
          expect(parsed.kinds.filter((kind) => !INERT.has(kind))).toEqual([]);
          expect(parsed.text).toBe(`• ${shown}: ${shown} x`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('markdownText', () => {
  it.each(hostile)('%j renders as its visible text, no link or markup', (text) => {
    for (const parser of [md, gfm]) {
      const parsed = parse(parser, markdownText(text));
      expect(parsed.kinds.every((kind) => INERT.has(kind))).toBe(true);
      expect(parsed.text).toBe(visibleText(text));
    }
  });

  it('for any string at the start of a line (headings, lists, tables, quotes start there): one paragraph', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        // Leading spaces are the caller's: markdownText is inline prose (4 would make a code block).
        const escaped = markdownText(text.replace(/^ +/, ''));
        const blocks = (gfm.parse(escaped, {}) as Token[]).map((t) => t.type).filter((type) => type !== 'inline');
        if (escaped.trim() !== '') expect(blocks).toEqual(['paragraph_open', 'paragraph_close']);
        const parsed = parse(gfm, markdownText(text));
        expect(parsed.kinds.filter((kind) => !INERT.has(kind))).toEqual([]);
        expect(parsed.text).toBe(visibleText(text));
      }),
      { numRuns: 2000 },
    );
  });
});
