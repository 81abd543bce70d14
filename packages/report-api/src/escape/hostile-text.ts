import fc from 'fast-check';

/** Pieces of Markdown, Slack, HTML and terminal syntax that hostile traffic text is made of. */
const PIECES = [
  '[',
  ']',
  '(',
  ')',
  '!',
  '<',
  '>',
  '&',
  '`',
  '``',
  '*',
  '_',
  '~',
  '#',
  '|',
  '\\',
  ':',
  '/',
  ' ',
  '  ',
  '\n',
  '\r',
  '\t',
  'https://evil.example/phish',
  'http://x.test',
  'www.evil.example',
  'mailto:a@b.example',
  '<!channel>',
  '<@U123>',
  '<#C1>',
  '&lt;',
  '&amp;',
  '&#60;',
  '<img src=x>',
  '<script>',
  '-->',
  '\u001b[31m',
  '\u009b',
  '\u202e',
  '\u200b',
  '\u2028',
  '\ud800',
  'a',
  'Z9',
];

/**
 * Strings an attacker would put in a path or user agent: syntax pieces of every sink, mixed with
 * arbitrary (also ill-formed) UTF-16. For property tests of the escaping modules.
 *
 * @example
 * fc.assert(fc.property(hostileText(), (text) => { ... }));
 */
export function hostileText({ maxLength = 60 }: { maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.oneof(
    fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((pieces) => pieces.join('')),
    fc.string({ unit: 'binary', maxLength }),
  );
}
