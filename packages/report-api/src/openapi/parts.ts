import { z } from 'zod';

/** The JSON body of every 4xx/5xx answer (`ErrorBody` of `http/errors.ts`) as a zod schema. */
export const errorSchema = z.object({
  error: z.string().describe('what went wrong and what to do about it'),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/**
 * A zod schema as an OpenAPI 3.1 schema object (JSON Schema 2020-12, so a nullable enum lists
 * `null` through `anyOf`); `input` for request bodies (defaults applied server-side are optional there).
 *
 * @example
 * openApiSchema(webhookSchema);
 */
export const openApiSchema = (s: z.core.$ZodType, io: 'input' | 'output' = 'output') => {
  // `$schema` is implied by the document's `jsonSchemaDialect`; repeating it on every schema is noise.
  const { $schema: _dialect, ...schema } = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  return schema;
};

/**
 * A JSON response (or `io: 'input'` content) described by a zod schema.
 *
 * @example
 * responses: { '200': jsonResponse(webhookSchema, 'the webhook') }
 */
export const jsonResponse = (s: z.core.$ZodType, description: string, io: 'input' | 'output' = 'output') => ({
  description,
  content: { 'application/json': { schema: openApiSchema(s, io) } },
});

/**
 * A required JSON request body described by a zod schema.
 *
 * @example
 * requestBody: jsonBody(newWebhookSchema)
 */
export const jsonBody = (s: z.core.$ZodType) => ({
  required: true,
  content: { 'application/json': { schema: openApiSchema(s, 'input') } },
});

/**
 * The error responses of an operation, one per status code, all with {@link errorSchema}.
 *
 * @example
 * responses: { '200': ..., ...errorResponses(400, 401, 403) }
 */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [String(code), jsonResponse(errorSchema, 'error with an actionable message')]),
  );

/** `security` of a public operation (no key): overrides the document-wide bearer requirement. */
export const publicSecurity: Array<Record<string, string[]>> = [];

/** `security` of an operation that takes a site key as a bearer token. */
export const bearerSecurity = [{ bearer: [] }];

/**
 * A JSON response that can also be one of its tables as CSV (`http/tables.ts`): with
 * `Accept: text/csv` (or `?format=csv`) and `?table=` (see {@link tableParameters}).
 *
 * @example
 * responses: { '200': jsonOrCsvResponse(ipDetailSchema, 'the drill-down') }
 */
export const jsonOrCsvResponse = (s: z.core.$ZodType, description: string) => ({
  description: `${description}; or, with Accept: text/csv and ?table=, that table as CSV`,
  content: {
    'application/json': { schema: openApiSchema(s) },
    'text/csv': {
      schema: { type: 'string' },
      example: 'path,errors4xx,errors5xx,requests,blocked\n/login,3,0,3,0\n',
    },
  },
});

/** The query parameters of a {@link jsonOrCsvResponse}. */
export const tableParameters = [
  {
    name: 'table',
    in: 'query',
    required: false,
    schema: { type: 'string', maxLength: 100 },
    description:
      'with CSV: which array of the JSON answer to export, as a dotted path (`paths`, `logins.topClients`); ' +
      'a 400 lists them. Text cells are shown visibly and never start a formula (a leading = + - @ gets a quote).',
  },
  {
    name: 'format',
    in: 'query',
    required: false,
    schema: { type: 'string', enum: ['json', 'csv'] },
    description: '`csv` does what Accept: text/csv does',
  },
];
