/**
 * @module
 * Builds the OpenAPI 3.1 document from the declared routes and their zod schemas.
 */
import { z } from 'zod';
import type { RouteSpec } from './api-router.ts';

/** The problem+json body, as documented for every error response. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ description: 'RFC 9457 problem details.' });

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const document = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  delete document.$schema;
  return document as JsonObject;
}

/** `/wallets/:id` becomes `/wallets/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

function parameters(spec: RouteSpec): JsonObject[] {
  const result: JsonObject[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const object = jsonSchema(schema, 'input');
    const properties = (object.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((object.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      result.push({ name, in: where, required: where === 'path' || required.has(name), schema: property });
    }
  }
  for (const [name, header] of Object.entries(spec.headers ?? {})) {
    result.push({ name, in: 'header', required: header.required, description: header.description, schema: { type: 'string' } });
  }
  return result;
}

function responses(spec: RouteSpec): JsonObject {
  const result: JsonObject = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    const isError = Number(status) >= 400;
    const schema = response.schema ?? (isError ? problemSchema : undefined);
    result[status] = {
      description: response.description,
      ...(schema
        ? { content: { [isError ? 'application/problem+json' : 'application/json']: { schema: jsonSchema(schema, 'output') } } }
        : {}),
      ...(response.headers
        ? { headers: Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
        : {}),
    };
  }
  return result;
}

const securityByAccess: Record<RouteSpec['access'], JsonObject[] | undefined> = {
  public: [],
  session: [{ sessionCookie: [] }],
  'pending-session': [{ sessionCookie: [] }],
  admin: [{ sessionCookie: [] }],
};

/** The OpenAPI 3.1 document of `routes`, all mounted below `/api`. */
export function buildOpenApiDocument(routes: RouteSpec[], version: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const spec of routes) {
    const path = `/api${openApiPath(spec.path)}`;
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: spec.tags,
      operationId: `${spec.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: securityByAccess[spec.access],
      'x-access': spec.access,
      parameters: parameters(spec),
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
        : {}),
      responses: responses(spec),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ab-elements API',
      version,
      description: 'The API the ab-elements web components call. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { sessionCookie: { type: 'apiKey', in: 'cookie', name: 'ab_session' } },
    },
    paths,
  };
}
