import { reportUrl } from '../dashboard/urls.js';
import type { Site, Store } from '../db/store.js';
import type { DeliveryQueue } from './deliver.js';
import { testPayload } from './payload.js';
import { localDate } from './schedule.js';
import type { NewDelivery } from '../db/alerts.js';

/**
 * Sends a test message to every webhook of a site through `queue` and waits for the outcomes
 * (each is also recorded in the delivery log). Resolves with one delivery per webhook; an empty
 * array means the site has no webhook.
 *
 * @example
 * const results = await sendTestMessage({ store, site, queue, now: Date.now(), publicUrl: null });
 * results.every((d) => d.status === 'delivered');
 */
export async function sendTestMessage({
  store,
  site,
  queue,
  now,
  publicUrl,
}: {
  store: Pick<Store, 'listWebhooks'>;
  site: Site;
  queue: DeliveryQueue;
  now: number;
  publicUrl: string | null;
}): Promise<NewDelivery[]> {
  const hooks = await store.listWebhooks(site.id);
  const url = publicUrl ? `${publicUrl.replace(/\/+$/, '')}${reportUrl(site.id, localDate(now, site.timeZone))}` : null;
  const payload = testPayload({ siteName: site.name, at: now, url });
  return Promise.all(
    hooks.map(
      (webhook) =>
        new Promise<NewDelivery>((resolve) => {
          queue.enqueue({
            siteId: site.id,
            webhook: { id: webhook.id, url: webhook.url },
            kind: 'test',
            summary: 'Test message',
            payload,
            onDone: resolve,
          });
        }),
    ),
  );
}
