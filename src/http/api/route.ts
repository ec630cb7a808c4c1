import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import type { Actor } from '../../events/append.js';
import type { ApiToken } from '../../store/tokens.js';
import type { Workspace } from '../../store/workspaces.js';

// One declaration per route: the JSON schemas Fastify validates with are the ones the OpenAPI
// document is built from, so the two cannot drift apart.

/** A REST API error, rendered as {"error":{"code","message"}}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const apiErrors = {
  badRequest: (message: string) => new ApiError(400, 'invalid_request', message),
  unauthorized: (message: string) => new ApiError(401, 'unauthorized', message),
  forbidden: (message: string) => new ApiError(403, 'insufficient_scope', message),
  notFound: (what: string) => new ApiError(404, 'not_found', `${what} not found.`),
  conflict: (message: string) => new ApiError(409, 'conflict', message),
};

export type JsonSchema = Record<string, unknown>;

export interface ApiRouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path relative to /api/v1, Fastify style (`/members/:id`). */
  url: string;
  scope: 'api:read' | 'api:write';
  tag: string;
  summary: string;
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  /** The success status and a schema of its body (documentation only: never used to serialise). */
  response: { status: number; description: string; schema?: JsonSchema };
}

/** What the auth hook attaches to each REST API request. */
export interface ApiContext {
  workspace: Workspace;
  token: ApiToken;
  actor: Actor;
}

declare module 'fastify' {
  interface FastifyRequest {
    api: ApiContext | null;
  }
}

export interface ApiServices {
  deps: Deps;
  routes: ApiRouteSpec[];
}

type Handler = (request: FastifyRequest, reply: FastifyReply, ctx: ApiContext) => Promise<unknown>;

/** Registers a route with its schemas and records it for the OpenAPI document. */
export function defineRoute(
  app: FastifyInstance,
  services: ApiServices,
  spec: ApiRouteSpec,
  handler: Handler,
): void {
  services.routes.push(spec);
  const schema: Record<string, unknown> = {};
  if (spec.params) schema.params = spec.params;
  if (spec.querystring) schema.querystring = spec.querystring;
  if (spec.body) schema.body = spec.body;
  app.route({
    method: spec.method,
    url: spec.url,
    schema,
    config: { scope: spec.scope },
    handler: async (request, reply) => {
      if (!request.api) throw apiErrors.unauthorized('Authentication required.');
      const result = await handler(request, reply, request.api);
      if (reply.sent) return reply;
      return reply.code(spec.response.status).send(result);
    },
  });
}

/** Schema helpers: small, so route files read as data. */
export const s = {
  str: (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra }),
  nstr: (): JsonSchema => ({ type: ['string', 'null'] }),
  int: (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra }),
  bool: (extra: JsonSchema = {}): JsonSchema => ({ type: 'boolean', ...extra }),
  obj: (
    properties: Record<string, JsonSchema>,
    required: string[] = [],
    extra: JsonSchema = {},
  ): JsonSchema => ({
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    ...extra,
  }),
  arr: (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra }),
  idParams: (): JsonSchema => ({
    type: 'object',
    properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
    required: ['id'],
  }),
  limit: (max = 200, fallback = 50): JsonSchema => ({
    type: 'integer',
    minimum: 1,
    maximum: max,
    default: fallback,
  }),
  cursor: (): JsonSchema => ({
    type: 'string',
    maxLength: 200,
    description: 'Opaque cursor from next_cursor.',
  }),
  time: (): JsonSchema => ({ type: 'string', format: 'date-time' }),
  page: (item: JsonSchema): JsonSchema => ({
    type: 'object',
    properties: { data: { type: 'array', items: item }, next_cursor: { type: ['string', 'null'] } },
  }),
};

/** Cursors are opaque to clients: base64url of the last key. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(String(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const raw = Buffer.from(cursor, 'base64url').toString();
  if (raw === '' || /[^\x20-\x7e]/.test(raw)) throw apiErrors.badRequest('The cursor is not valid.');
  return raw;
}

/** A cursor that carries an event position: a whole number, or a 400 (never a NaN sent to SQL). */
export function decodePositionCursor(cursor: string | undefined): number | undefined {
  const raw = decodeCursor(cursor);
  if (raw === undefined) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw apiErrors.badRequest('The cursor is not valid.');
  return Number(raw);
}

/** A page of results with the cursor of the next page (null at the end). */
export function pageOf<T>(
  items: T[],
  limit: number,
  keyOf: (item: T) => string | number,
): { data: T[]; next_cursor: string | null } {
  const data = items.slice(0, limit);
  const last = data[data.length - 1];
  return { data, next_cursor: items.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
