import type { Case } from '../db/cases.js';
import type { Site } from '../db/store.js';
import { ipUrl } from '../dashboard/urls.js';
import type { ResolvedDeps } from '../http/env.js';
import type { DecideDeps } from './decide.js';
import { openTicket } from './tickets.js';

/**
 * How decisions on a site's cases are made from an HTTP request (API or dashboard): the store and
 * clock of the app, its deny-list notifier, and the site's ticket target, if any, with links back to
 * the dashboard at its public origin (`deps.publicOrigin`), else at the request's origin.
 *
 * @example
 * await decideCase(decideDepsFor(deps, site, new URL(c.req.url).origin), site.id, caseId, input, by);
 */
export function decideDepsFor(deps: ResolvedDeps, site: Pick<Site, 'id' | 'name'>, requestOrigin: string): DecideDeps {
  const target = deps.tickets?.get(site.id);
  const origin = deps.publicOrigin ?? requestOrigin;
  return {
    store: deps.store,
    now: deps.now,
    logError: deps.logError,
    ...(deps.onDenyListChange ? { onDenyListChange: deps.onDenyListChange } : {}),
    ...(target
      ? { openTicket: (k: Case) => openTicket(target, k, site.name, origin + ipUrl(site.id, k.client, k.lastDay)) }
      : {}),
  };
}
