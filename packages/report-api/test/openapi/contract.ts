import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext its namespace arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface MediaType {
  schema?: object;
}
interface Operation {
  operationId?: string;
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
}
/** The parts of an OpenAPI 3.1 document the contract checks read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

/** A real HTTP answer: status, content type and the parsed JSON body (or null when there is none). */
export interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

/**
 * Validates real requests and responses against the OpenAPI document served by the app, with Ajv's
 * JSON Schema 2020-12 validator (the dialect of OpenAPI 3.1). Every check returns a list of problems;
 * an empty list means the message matches the document. `covered()` lists the operations checked so far.
 *
 * @example
 * const contract = createContract(await (await fetch(`${url}/openapi.json`)).json());
 * expect(contract.checkResponse('get', '/v1/denylist', answer)).toEqual([]);
 */
export function createContract(document: OpenApiDocument) {
  if (!document.openapi.startsWith('3.1.')) throw new Error(`expected OpenAPI 3.1, got ${document.openapi}`);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const compiled = new Map<object, ValidateFunction>();
  const validatorOf = (schema: object) => {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
    return validate;
  };
  const seen = new Set<string>();

  function operation(method: string, path: string): Operation {
    const op = document.paths[path]?.[method as (typeof METHODS)[number]];
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the OpenAPI document`);
    return op;
  }

  function errorsOf(schema: object | undefined, value: unknown, where: string): string[] {
    if (!schema) return [`${where}: no schema in the document`];
    const validate = validatorOf(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }

  return {
    document,
    /** Problems of a response of `method path` (a path template such as `/v1/denylist/{id}`). */
    checkResponse(method: string, path: string, answer: Answer): string[] {
      seen.add(`${method.toUpperCase()} ${path}`);
      const response = operation(method, path).responses[String(answer.status)];
      const where = `${method.toUpperCase()} ${path} ${answer.status}`;
      if (!response) return [`${where}: status not documented`];
      if (!response.content) return answer.body === null ? [] : [`${where}: body where the document has none`];
      const media = answer.contentType?.split(';')[0]?.trim() ?? '';
      if (!response.content[media]) return [`${where}: content type ${media} not documented`];
      return errorsOf(response.content[media].schema, answer.body, where);
    },
    /** Problems of a JSON request body of `method path`. */
    checkRequest(method: string, path: string, body: unknown, media = 'application/json'): string[] {
      const content = operation(method, path).requestBody?.content[media];
      return errorsOf(content?.schema, body, `${method.toUpperCase()} ${path} request`);
    },
    /** Every operation of the document, as `GET /v1/denylist`. */
    operations(): string[] {
      return Object.entries(document.paths).flatMap(([path, item]) =>
        METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
      );
    },
    /** Operations whose responses were checked. */
    covered(): Set<string> {
      return new Set(seen);
    },
  };
}

/** The contract checker built by {@link createContract}. */
export type Contract = ReturnType<typeof createContract>;

/**
 * Reads a fetch `Response` into an {@link Answer}: JSON bodies parsed, an empty body as null.
 *
 * @example
 * const answer = await readAnswer(await fetch(url));
 */
export async function readAnswer(res: Response): Promise<Answer> {
  const text = await res.text();
  const contentType = res.headers.get('content-type');
  const body = text === '' ? null : contentType?.includes('json') ? (JSON.parse(text) as unknown) : text;
  return { status: res.status, contentType, body };
}
