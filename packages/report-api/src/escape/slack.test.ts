import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileText } from './hostile-text.js';
import { escapeSlack, SLACK_BACKTICK, slackCode } from './slack.js';

/** What a Slack client would act on: any `<…>` (link, mention) or a bare `&` that is not one of our entities. */
function activeSyntax(mrkdwn: string): string[] {
  return [...mrkdwn.matchAll(/[<>]|&(?!(?:amp|lt|gt);)/g)].map((m) => m[0]);
}

describe('escapeSlack', () => {
  it.each([
    ['channel mention', '<!channel>', '&lt;!channel&gt;'],
    ['user mention', '<@U123>', '&lt;@U123&gt;'],
    ['link', '<https://evil.example|Open the dashboard>', '&lt;https://evil.example|Open the dashboard&gt;'],
    ['entity stays literal', '&lt;', '&amp;lt;'],
  ])('%s', (_name, input, expected) => {
    expect(escapeSlack(input)).toBe(expected);
  });
});

describe('slackCode', () => {
  it.each([
    [
      'phishing path',
      '/.env[Open_the_dashboard](https://evil.example/phish)',
      '`/.env[Open_the_dashboard](https://evil.example/phish)`',
    ],
    ['mention', '<!here> hi', '`&lt;!here&gt; hi`'],
    ['backtick cannot close the span', 'a`*b*`c', `\`a${SLACK_BACKTICK}*b*${SLACK_BACKTICK}c\``],
    ['newline cannot end it', 'a\n```b', `\`a\\x0A${SLACK_BACKTICK.repeat(3)}b\``],
    ['empty', '', '(empty)'],
  ])('%s', (_name, input, expected) => {
    expect(slackCode(input)).toBe(expected);
  });

  it('for any string: one code span, no raw < > &, no mention syntax', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const out = slackCode(text);
        expect(activeSyntax(out)).toEqual([]);
        expect(out).not.toMatch(/<[!@#]/);
        if (out !== '(empty)') expect(out).toMatch(/^`[^`\n]+`$/);
      }),
      { numRuns: 2000 },
    );
  });
});
