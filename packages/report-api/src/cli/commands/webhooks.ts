import { redactUrl, webhookUrlProblem } from '../../alerts/webhook-url.js';
import { type Command, dbOption, parseCommandArgs, runAction, stringOption, UsageError } from '../args.js';
import { withSite } from '../open-store.js';

const usage = `Usage:
  watchpost webhooks add --site ID --url URL [--db PATH|URL]
  watchpost webhooks list --site ID [--db PATH|URL]
  watchpost webhooks remove --site ID --id WEBHOOK_ID [--db PATH|URL]

Chat webhooks (Slack-compatible incoming webhooks) that receive the site's alerts and daily report.
add prints the new webhook as JSON; list shows URLs redacted (a webhook URL is a secret).
  --site ID       site id from \`watchpost sites list\`
  --url URL       http:// or https:// webhook URL, e.g. https://hooks.slack.com/services/...
  --id ID         webhook id from \`watchpost webhooks list\`
  --db PATH|URL   SQLite database file (default ./watchpost.db) or postgres://user@host:5432/db URL`;

/**
 * `watchpost webhooks add|list|remove`.
 *
 * @example
 * await webhooksCommand.run(['add', '--site', 'site_…', '--url', 'https://hooks.slack.com/services/…'], io);
 */
export const webhooksCommand: Command = {
  usage,
  async run(argv, io) {
    const options = { ...dbOption, site: { type: 'string' }, url: { type: 'string' }, id: { type: 'string' } } as const;
    return runAction(argv, io, usage, {
      add: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, site: options.site, url: options.url });
        if (!args) return (io.out(usage), 0);
        const url = stringOption(args, 'url', true);
        const problem = webhookUrlProblem(url);
        if (problem) throw new UsageError(`--url: ${problem}`);
        return withSite(args, async (store, site) => {
          const hook = await store.addWebhook(site.id, url, Date.now());
          io.out(JSON.stringify(hook, null, 2));
          return 0;
        });
      },
      list: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, site: options.site });
        if (!args) return (io.out(usage), 0);
        return withSite(args, async (store, site) => {
          const hooks = await store.listWebhooks(site.id);
          io.out(
            JSON.stringify(
              hooks.map((hook) => ({ ...hook, url: redactUrl(hook.url) })),
              null,
              2,
            ),
          );
          return 0;
        });
      },
      remove: async (rest) => {
        const args = parseCommandArgs(rest, { ...dbOption, site: options.site, id: options.id });
        if (!args) return (io.out(usage), 0);
        const id = stringOption(args, 'id', true);
        return withSite(args, async (store, site) => {
          if (!(await store.removeWebhook(site.id, id))) {
            io.err(
              `watchpost webhooks: no webhook ${JSON.stringify(id)} on site ${site.id} (see watchpost webhooks list)`,
            );
            return 1;
          }
          io.out(`removed webhook ${id}`);
          return 0;
        });
      },
    });
  },
};
