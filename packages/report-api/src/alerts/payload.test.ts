import { describe, expect, it } from 'vitest';
import type { AlertNotice } from './incident.js';
import { escapeSlack, markdownToSlack, noticePayload, reportPayload, testPayload } from './payload.js';

describe('markdownToSlack', () => {
  it.each([
    ['heading', '## Top IPs', '*Top IPs*'],
    ['bold', 'blocked **42** requests', 'blocked *42* requests'],
    ['bullet', '- 203.0.113.7: burst', '• 203.0.113.7: burst'],
    ['https link', 'see [the page](https://wp.example/a?b=1&c=2)', 'see <https://wp.example/a?b=1&amp;c=2|the page>'],
    ['non-http link stays text', '[x](javascript:alert(1))', '[x](javascript:alert(1))'],
    ['mention from traffic is escaped', 'UA <!channel> & <@U123>', 'UA &lt;!channel&gt; &amp; &lt;@U123&gt;'],
    [
      'a link in a code span stays code',
      'path `/.env[x](https://evil.example)` seen',
      'path `/.env[x](https://evil.example)` seen',
    ],
    ['a mention in a code span is escaped', '`<!channel>`', '`&lt;!channel&gt;`'],
    ['a padded code span holding a backtick', '• `` a`b ``', '• `a\u02CBb`'],
    [
      'a word with backslash escapes (traffic text) is code',
      'seen \\[x\\]\\(https\\:\\/\\/e\\.example\\), \\* ok',
      'seen `[x](https://e.example)`, `*` ok',
    ],
    [
      'every such word, bold kept around them',
      '*UA: Mozilla\\/5\\.0 \\<\\!here\\>*',
      '*UA: `Mozilla/5.0` `&lt;!here&gt;`*',
    ],
    ['an unclosed backtick cannot open code', 'a ` b', 'a \u02CB b'],
  ])('%s', (_name, input, expected) => {
    expect(markdownToSlack(input)).toBe(expected);
  });

  it('puts tables in a code block without the separator row', () => {
    const md = 'Top paths\n| path | requests |\n|---|---:|\n| /login | 12 |\nafter';
    expect(markdownToSlack(md)).toBe('Top paths\n```\n| path | requests |\n| /login | 12 |\n```\nafter');
  });

  it('closes a table that ends the document', () => {
    expect(markdownToSlack('| a |\n|---|\n| 1 |')).toBe('```\n| a |\n| 1 |\n```');
  });
});

describe('reportPayload', () => {
  const url = 'https://wp.example/dashboard/sites/s_1?date=2026-11-26';

  it('carries the whole report and the link in text alone', () => {
    const payload = reportPayload({
      title: 'Daily report: shop, 2026-11-26',
      markdown: '# Totals\n**1,234** requests',
      url,
    });
    expect(payload.text).toContain('*1,234* requests');
    expect(payload.text).toContain(`<${url}|${url}>`);
    expect(payload.blocks?.[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Daily report: shop, 2026-11-26' },
    });
  });

  it('says so when there is no dashboard link instead of sending a broken one', () => {
    const payload = reportPayload({ title: 'Daily report', markdown: 'x', url: null });
    expect(payload.text).toContain('no dashboard link');
    expect(payload.text).not.toContain('<');
  });

  it('keeps every section within Slack limits on a very long report, with code fences balanced', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `| /path/${i} | ${i} |`).join('\n');
    const payload = reportPayload({
      title: 't'.repeat(400),
      markdown: `# Paths\n| path | n |\n|---|---|\n${rows}`,
      url,
    });
    const blocks = payload.blocks ?? [];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) {
      if (block.type === 'section') {
        expect(block.text.text.length).toBeLessThanOrEqual(3000);
        expect((block.text.text.match(/```/g) ?? []).length % 2).toBe(0);
      }
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150);
    }
    expect(JSON.stringify(blocks)).toContain('shortened');
    expect(payload.text.length).toBeLessThanOrEqual(40_000);
    expect(payload.text).toMatch(/```\n_\(report shortened/);
  });
});

describe('noticePayload and testPayload', () => {
  const notice: AlertNotice = {
    siteId: 's_1',
    kind: 'burst',
    key: 'site',
    state: 'alert',
    openedAt: 0,
    at: 0,
    title: 'Error burst: 150 4xx/5xx in 30 s',
    lines: ['203.0.113.7: 140 errors <script>'],
  };

  it('names the site, the incident and the evidence, escaped', () => {
    const payload = noticePayload(notice, { siteName: 'shop <prod>', url: 'https://wp.example/dashboard/sites/s_1' });
    expect(payload.text).toContain(':rotating_light: *shop &lt;prod&gt;*: Error burst: 150 4xx/5xx in 30 s');
    expect(payload.text).toContain('• `203.0.113.7: 140 errors &lt;script&gt;`');
    expect(payload.text).toContain('<https://wp.example/dashboard/sites/s_1|');
  });

  it('keeps a ban reason or rule from traffic inert: a code span, no link or mention', () => {
    const hostile = {
      ...notice,
      lines: [
        'Reason: see https://evil.example/phish <!channel> *now*',
        'Refused (rule `x` <https://evil.example|login>)',
      ],
    };
    const text = noticePayload(hostile, { siteName: 'shop', url: null }).text;
    expect(text).toContain('• `Reason: see https://evil.example/phish &lt;!channel&gt; *now*`');
    expect(text).toContain('• `Refused (rule \u02CBx\u02CB &lt;https://evil.example|login&gt;)`');
    expect(text.replace(/`[^`\n]*`/g, '')).not.toMatch(/evil|<|channel/);
  });

  it('marks a resolution differently', () => {
    expect(noticePayload({ ...notice, state: 'resolved' }, { siteName: 'shop', url: null }).text).toMatch(
      /^:white_check_mark:/,
    );
  });

  it('test message says what it is', () => {
    expect(testPayload({ siteName: 'shop', at: Date.UTC(2026, 0, 1), url: null }).text).toContain(
      'Test message from Watchpost for *shop* at 2026-01-01T00:00:00.000Z',
    );
    expect(escapeSlack('a<b')).toBe('a&lt;b');
  });
});
