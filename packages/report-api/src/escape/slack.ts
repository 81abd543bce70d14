/**
 * Traffic text in Slack `mrkdwn` (and the Slack-compatible webhooks of Mattermost, Rocket.Chat,
 * Discord). Slack has no backslash escape: `&`, `<`, `>` must be entity-encoded (else `<!channel>`,
 * `<@U123>` and `<https://…|label>` act), and only a code span keeps `*_~` and bare URLs inert.
 */
import { visibleText, type VisibleTextOptions } from './visible.js';

/**
 * Entity-encodes the three characters Slack treats as control syntax, so no link or mention can
 * start: `<!channel>` stays text. Formatting characters (`*_~`) are left alone; traffic text goes
 * through `slackCode` instead.
 *
 * @example
 * escapeSlack('<!channel> & co'); // '&lt;!channel&gt; &amp; co'
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** U+02CB MODIFIER LETTER GRAVE ACCENT: looks like a backtick, cannot close a Slack code span. */
export const SLACK_BACKTICK = '\u02CB';

/**
 * `visibleText(text)` as one Slack inline code span: entity-encoded, backticks shown as `ˋ`
 * (Slack code spans cannot hold one), so no link, mention, formatting or autolinked URL survives.
 *
 * @example
 * slackCode('/.env[x](https://evil.example) <!channel>'); // '`/.env[x](https://evil.example) &lt;!channel&gt;`'
 * slackCode('');                                           // '(empty)'
 */
export function slackCode(text: string, options: VisibleTextOptions = {}): string {
  const shown = visibleText(text, options);
  if (shown === '') return '(empty)';
  return `\`${escapeSlack(shown.replace(/`/g, SLACK_BACKTICK))}\``;
}
