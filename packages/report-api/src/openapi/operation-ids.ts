const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The `operationId` of an operation, derived from its method and path so routes added later get one too:
 * `get /v1/reports/daily` → `getReportsDaily`, `delete /v1/denylist/{id}` → `deleteDenylistById`.
 *
 * @example
 * operationIdOf('get', '/v1/alerts/settings'); // 'getAlertsSettings'
 */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'v1')
    .flatMap((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment);
      return parameter ? ['by', ...parameter[1]!.split(/[^A-Za-z0-9]+/)] : segment.split(/[^A-Za-z0-9]+/);
    })
    .filter((word) => word !== '');
  return method + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

/**
 * Sets `operationId` on every operation of an OpenAPI `paths` object that has none (in place).
 * Throws when two operations would share one, since clients generated from the document need unique names.
 *
 * @example
 * withOperationIds({ '/healthz': { get: { responses: {} } } }); // get.operationId === 'getHealthz'
 */
export function withOperationIds<T extends Record<string, Record<string, unknown>>>(paths: T): T {
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const operation = item[method] as { operationId?: string } | undefined;
      if (!operation) continue;
      operation.operationId ??= operationIdOf(method, path);
      if (seen.has(operation.operationId)) throw new Error(`duplicate operationId ${operation.operationId}`);
      seen.add(operation.operationId);
    }
  }
  return paths;
}
