import { afterEach } from 'vitest';
import { alertsContract } from './alerts.js';
import { casesContract } from './cases.js';
import { findingsContract } from './findings.js';
import { denyListContract } from './denylist.js';
import { drillDownContract } from './drilldown.js';
import { ingestContract } from './ingest.js';
import { keysAuditContract } from './keys-audit.js';
import { leasesContract } from './leases.js';
import { rawEventsContract } from './raw-events.js';
import { rollupsContract } from './rollups.js';
import { sitesContract } from './sites.js';
import { tenancyContract } from './tenancy.js';
import type { ContractContext, StoreFactory, StoreHarness } from './context.js';

export type { StoreFactory, StoreHarness } from './context.js';

/**
 * The behaviour every `Store` must have, whatever keeps the data: run inside a `describe` of each
 * store's test file with that store's factory. Store-specific checks (how keys are stored, group
 * commit, several instances on one database) stay in the store's own tests.
 *
 * @example
 * describe('sqlite store', () => storeContract(async (now) => { const t = tempStore(now); return { store: t.store,
 * reopen: ..., cleanup: t.cleanup }; }));
 */
export function storeContract(factory: StoreFactory): void {
  let h: StoreHarness | undefined;
  const context: ContractContext = {
    fresh: async (now) => (h = await factory(now)).store,
    reopen: () => {
      if (!h) throw new Error('reopen() before fresh()');
      return h.reopen();
    },
  };
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });
  sitesContract(context);
  ingestContract(context);
  rollupsContract(context);
  rawEventsContract(context);
  leasesContract(context);
  denyListContract(context);
  drillDownContract(context);
  alertsContract(context);
  tenancyContract(context);
  keysAuditContract(context);
  casesContract(context);
  findingsContract(context);
}
