import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { BULK_LIMITS } from '../../scim/bulk.js';
import { CURSOR_TIMEOUT_SECONDS } from '../../scim/cursor.js';
import {
  type Capabilities,
  findSchemaById,
  resourceTypeResource,
  resourceTypes,
  schemaResource,
  schemasOf,
  serviceProviderConfig,
} from '../../scim/discovery.js';
import { forbidden, notFound } from '../../scim/errors.js';
import { DEFAULT_PAGE_SIZE, listResponse } from '../../scim/list.js';
import { queryOf, type ScimServices, scimState, sendScim } from './context.js';

/** What /ServiceProviderConfig advertises: read from config and from each feature's own limits. */
export function capabilitiesOf(deps: Deps): Capabilities {
  return {
    bulk: BULK_LIMITS,
    maxResults: deps.config.maxResults,
    defaultPageSize: DEFAULT_PAGE_SIZE,
    cursor: { timeoutSeconds: CURSOR_TIMEOUT_SECONDS },
  };
}

// RFC 7644 §4: these endpoints do not filter; a filter is refused rather than silently ignored.
function refuseFilter(request: FastifyRequest): void {
  const q = queryOf(request);
  if (Object.keys(q).some((k) => k.toLowerCase() === 'filter')) {
    throw forbidden('Discovery endpoints do not support filtering (RFC 7644 §4).');
  }
}

function contextsOf(request: FastifyRequest) {
  const state = scimState(request);
  return { state, contexts: [state.userContext, state.groupContext] };
}

type IdParams = { Params: { id: string } };

/** /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4), behind the same token auth as the rest. */
export function registerDiscoveryRoutes(app: FastifyInstance, services: ScimServices): void {
  app.get('/ServiceProviderConfig', async (request, reply) => {
    refuseFilter(request);
    const { state } = contextsOf(request);
    return sendScim(reply, 200, serviceProviderConfig(capabilitiesOf(services.deps), state.baseUrl));
  });

  app.get('/ResourceTypes', async (request, reply) => {
    refuseFilter(request);
    const { state, contexts } = contextsOf(request);
    const list = resourceTypes(contexts, state.baseUrl);
    return sendScim(reply, 200, listResponse(list, list.length, 1));
  });

  app.get<IdParams>('/ResourceTypes/:id', async (request, reply) => {
    const { state, contexts } = contextsOf(request);
    const wanted = request.params.id.toLowerCase();
    const ctx = contexts.find((c) => c.resourceType.id.toLowerCase() === wanted);
    if (!ctx) throw notFound(`No resource type "${request.params.id}".`);
    return sendScim(reply, 200, resourceTypeResource(ctx.resourceType, state.baseUrl));
  });

  app.get('/Schemas', async (request, reply) => {
    refuseFilter(request);
    const { state, contexts } = contextsOf(request);
    const list = schemasOf(contexts).map((s) => schemaResource(s, state.baseUrl));
    return sendScim(reply, 200, listResponse(list, list.length, 1));
  });

  app.get<IdParams>('/Schemas/:id', async (request, reply) => {
    const { state, contexts } = contextsOf(request);
    const schema = findSchemaById(contexts, request.params.id);
    if (!schema) throw notFound(`No schema "${request.params.id}".`);
    return sendScim(reply, 200, schemaResource(schema, state.baseUrl));
  });
}
