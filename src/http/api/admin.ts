import type { FastifyInstance } from 'fastify';
import { createToken, revokeToken } from '../../auth/tokens.js';
import {
  createEndpoint,
  deleteEndpoint,
  redeliver,
  updateEndpoint,
  WebhookInputError,
} from '../../events/webhooks.js';
import { allScopes, listTokens, type Scope } from '../../store/tokens.js';
import { listDeliveries } from '../../store/webhook-deliveries.js';
import { findEndpoint, listEndpoints } from '../../store/webhooks.js';
import { type ApiServices, apiErrors, decodePositionCursor, defineRoute, pageOf, s } from './route.js';

// API tokens and webhook endpoints: secrets are shown once, at creation.

const token = s.obj({
  id: s.str(),
  name: s.str(),
  prefix: s.str(),
  scopes: s.arr(s.str({ enum: allScopes })),
  createdAt: s.str(),
  lastUsedAt: s.nstr(),
  expiresAt: s.nstr(),
  revokedAt: s.nstr(),
});
const endpoint = s.obj({
  id: s.str(),
  url: s.str(),
  description: s.nstr(),
  eventTypes: s.arr(s.str()),
  enabled: s.bool(),
  disabledReason: s.nstr(),
  createdAt: s.str(),
  updatedAt: s.str(),
});
const endpointInput = {
  url: s.str({ minLength: 1, maxLength: 2048 }),
  description: { type: ['string', 'null'], maxLength: 500 },
  eventTypes: s.arr(s.str({ maxLength: 100 }), { maxItems: 100 }),
  enabled: s.bool(),
};

function badInput<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((e: unknown) => {
    if (e instanceof WebhookInputError) throw apiErrors.badRequest(e.message);
    throw e;
  });
}

export function registerAdminRoutes(app: FastifyInstance, services: ApiServices): void {
  const { deps } = services;
  const db = deps.store.db;

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/tokens',
      scope: 'api:read',
      tag: 'Tokens',
      summary: 'List API tokens (never their secrets).',
      response: { status: 200, description: 'Tokens.', schema: s.obj({ data: s.arr(token) }) },
    },
    async (_request, _reply, ctx) => ({
      data: (await listTokens(db, ctx.workspace.id)).map(({ workspaceId: _w, createdBy: _c, ...t }) => t),
    }),
  );

  defineRoute(
    app,
    services,
    {
      method: 'POST',
      url: '/tokens',
      scope: 'api:write',
      tag: 'Tokens',
      summary: 'Create an API token; its secret is in this response only.',
      body: s.obj({
        name: s.str({ minLength: 1, maxLength: 100 }),
        scopes: s.arr(s.str({ enum: allScopes }), { minItems: 1, uniqueItems: true }),
        expiresAt: s.str({ format: 'date-time' }),
      }),
      response: {
        status: 201,
        description: 'The token and its secret.',
        schema: { ...token, properties: { ...(token.properties as object), secret: s.str() } },
      },
    },
    async (request, _reply, ctx) => {
      const body = (request.body ?? {}) as { name?: string; scopes?: Scope[]; expiresAt?: string };
      const { token: t, secret } = await createToken(deps, ctx.workspace, body, ctx.actor);
      const { workspaceId: _w, createdBy: _c, ...rest } = t;
      return { ...rest, secret };
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'DELETE',
      url: '/tokens/:id',
      scope: 'api:write',
      tag: 'Tokens',
      summary: 'Revoke an API token (effective on its next request).',
      params: s.idParams(),
      response: { status: 204, description: 'Revoked.' },
    },
    async (request, reply, ctx) => {
      const { id } = request.params as { id: string };
      if (!(await revokeToken(deps, id, ctx.actor, ctx.workspace.id))) throw apiErrors.notFound('Token');
      return reply.code(204).send();
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/webhooks',
      scope: 'api:read',
      tag: 'Webhooks',
      summary: 'List webhook endpoints.',
      response: { status: 200, description: 'Endpoints.', schema: s.obj({ data: s.arr(endpoint) }) },
    },
    async (_request, _reply, ctx) => ({ data: await listEndpoints(db, ctx.workspace.id) }),
  );

  defineRoute(
    app,
    services,
    {
      method: 'POST',
      url: '/webhooks',
      scope: 'api:write',
      tag: 'Webhooks',
      summary: 'Register an endpoint; the signing secret (whsec_…) is in this response only.',
      body: s.obj(endpointInput, ['url']),
      response: {
        status: 201,
        description: 'The endpoint and its secret.',
        schema: { ...endpoint, properties: { ...(endpoint.properties as object), secret: s.str() } },
      },
    },
    async (request, _reply, ctx) => {
      const body = request.body as {
        url: string;
        description?: string | null;
        eventTypes?: string[];
        enabled?: boolean;
      };
      const { endpoint: e, secret } = await badInput(createEndpoint(deps, ctx.workspace.id, body, ctx.actor));
      return { ...e, secret };
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/webhooks/:id',
      scope: 'api:read',
      tag: 'Webhooks',
      summary: 'One endpoint.',
      params: s.idParams(),
      response: { status: 200, description: 'The endpoint.', schema: endpoint },
    },
    async (request, _reply, ctx) => {
      const e = await findEndpoint(db, ctx.workspace.id, (request.params as { id: string }).id);
      if (!e) throw apiErrors.notFound('Webhook');
      return e;
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'PATCH',
      url: '/webhooks/:id',
      scope: 'api:write',
      tag: 'Webhooks',
      summary: 'Change an endpoint; enabling it again clears the reason it was disabled.',
      params: s.idParams(),
      body: s.obj(endpointInput),
      response: { status: 200, description: 'The endpoint.', schema: endpoint },
    },
    async (request, _reply, ctx) => {
      const e = await badInput(
        updateEndpoint(
          deps,
          ctx.workspace.id,
          (request.params as { id: string }).id,
          request.body as object,
          ctx.actor,
        ),
      );
      if (!e) throw apiErrors.notFound('Webhook');
      return e;
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'DELETE',
      url: '/webhooks/:id',
      scope: 'api:write',
      tag: 'Webhooks',
      summary: 'Remove an endpoint and its delivery log.',
      params: s.idParams(),
      response: { status: 204, description: 'Removed.' },
    },
    async (request, reply, ctx) => {
      if (!(await deleteEndpoint(deps, ctx.workspace.id, (request.params as { id: string }).id, ctx.actor)))
        throw apiErrors.notFound('Webhook');
      return reply.code(204).send();
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/webhooks/:id/deliveries',
      scope: 'api:read',
      tag: 'Webhooks',
      summary: 'The delivery log: each delivery with its attempts (status, latency, error, next retry).',
      params: s.idParams(),
      querystring: s.obj({
        status: s.str({ enum: ['pending', 'delivered', 'failed'] }),
        cursor: s.cursor(),
        limit: s.limit(100, 25),
      }),
      response: {
        status: 200,
        description: 'A page of deliveries, newest event first.',
        schema: s.page({ type: 'object' }),
      },
    },
    async (request, _reply, ctx) => {
      const { id } = request.params as { id: string };
      const q = request.query as { status?: string; cursor?: string; limit: number };
      if (!(await findEndpoint(db, ctx.workspace.id, id))) throw apiErrors.notFound('Webhook');
      const rows = await listDeliveries(db, ctx.workspace.id, id, {
        status: q.status,
        before: decodePositionCursor(q.cursor),
        limit: q.limit + 1,
      });
      return pageOf(rows, q.limit, (d) => d.eventPosition);
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'POST',
      url: '/webhooks/:id/deliveries/:deliveryId/redeliver',
      scope: 'api:write',
      tag: 'Webhooks',
      summary: 'Send a delivery again now (its retry window starts over).',
      params: s.obj({ id: s.str({ maxLength: 200 }), deliveryId: s.str({ maxLength: 200 }) }, [
        'id',
        'deliveryId',
      ]),
      response: { status: 202, description: 'Queued.', schema: s.obj({ queued: s.bool() }) },
    },
    async (request, _reply, ctx) => {
      const { id, deliveryId } = request.params as { id: string; deliveryId: string };
      if (!(await redeliver(deps, ctx.workspace.id, id, deliveryId))) throw apiErrors.notFound('Delivery');
      return { queued: true };
    },
  );
}
