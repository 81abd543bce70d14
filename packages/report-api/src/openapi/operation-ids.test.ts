import { describe, expect, it } from 'vitest';
import { operationIdOf, withOperationIds } from './operation-ids.js';

describe('operationIdOf', () => {
  it.each([
    ['get', '/healthz', 'getHealthz'],
    ['get', '/v1/reports/daily', 'getReportsDaily'],
    ['delete', '/v1/denylist/{id}', 'deleteDenylistById'],
    ['get', '/v1/ingest/stats', 'getIngestStats'],
    ['put', '/v1/alerts/settings', 'putAlertsSettings'],
    ['get', '/v1/rate-rules/{rule_id}', 'getRateRulesByRuleId'],
  ])('%s %s → %s', (method, path, id) => {
    expect(operationIdOf(method, path)).toBe(id);
  });
});

describe('withOperationIds', () => {
  it('keeps an explicit operationId and refuses a duplicate', () => {
    const paths = withOperationIds({ '/a': { get: { operationId: 'custom' }, post: {} } });
    expect(paths['/a']).toEqual({ get: { operationId: 'custom' }, post: { operationId: 'postA' } });
    expect(() => withOperationIds({ '/a-b': { get: {} }, '/a/b': { get: {} } })).toThrow(/duplicate operationId getAB/);
  });
});
