import type { ApiRouteSpec, JsonSchema } from './route.js';

// The OpenAPI 3.1 document, built from the route specs whose schemas Fastify validates requests
// with (OpenAPI 3.1 schemas are JSON Schema, so they are used as they are).

const errorSchema: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

function parametersOf(spec: ApiRouteSpec): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.querystring],
  ] as const) {
    const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema?.required as string[] | undefined) ?? []);
    for (const [name, s] of Object.entries(props)) {
      const { description, ...rest } = s;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** Builds the document for the registered routes; `prefix` is the API's mount point. */
export function buildOpenApi(routes: ApiRouteSpec[], prefix: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of routes) {
    const path = prefix + spec.url.replace(/:(\w+)/g, '{$1}');
    const op: JsonSchema = {
      tags: [spec.tag],
      summary: spec.summary,
      operationId: `${spec.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      security: [{ bearerAuth: [] }],
      'x-required-scope': spec.scope,
      parameters: parametersOf(spec),
      responses: {
        [String(spec.response.status)]: {
          description: spec.response.description,
          ...(spec.response.schema
            ? { content: { 'application/json': { schema: spec.response.schema } } }
            : {}),
        },
        '400': err('The request is not valid.'),
        '401': err('Missing, invalid, revoked or expired token.'),
        '403': err(`The token lacks the "${spec.scope}" scope.`),
        ...(spec.params ? { '404': err('Not found in this workspace.') } : {}),
      },
    };
    if (spec.body)
      op.requestBody = { required: true, content: { 'application/json': { schema: spec.body } } };
    paths[path] ??= {};
    (paths[path] as Record<string, JsonSchema>)[spec.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rollcall REST API',
      version: '1',
      description:
        'The host application’s view of a workspace directory: members, groups, roles, tokens, webhooks, events, audit and provisioning logs. Authenticate with a workspace API token with the api:read or api:write scope.',
    },
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A workspace API token (rc_…).' },
      },
      schemas: { Error: errorSchema },
    },
  };
}
