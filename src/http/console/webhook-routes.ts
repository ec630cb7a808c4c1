import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { eventCatalog } from '../../events/catalog.js';
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointInput,
  redeliver,
  sendTestEvent,
  updateEndpoint,
  WebhookInputError,
} from '../../events/webhooks.js';
import { listDeliveries } from '../../store/webhook-deliveries.js';
import { findEndpoint, listEndpoints, type WebhookEndpoint } from '../../store/webhooks.js';
import {
  actorOf,
  badRequest,
  ConsoleError,
  limitParam,
  notFoundError,
  param,
  requireRole,
} from './context.js';

// Webhook endpoints and their delivery logs: Admins only. The use cases are the REST API's
// (events/webhooks.ts); this edge validates the form and renders errors the form can show inline.

/** The types an endpoint can subscribe to: the catalogue's deliverable types, their families, and `*`. */
function subscribable(): { type: string; description: string }[] {
  const types = eventCatalog.filter((e) => e.webhook);
  const families = [...new Set(types.map((e) => e.type.split('.')[0]))].map((f) => ({
    type: `${f}.*`,
    description: `Every ${f} event.`,
  }));
  return [{ type: '*', description: 'Every event.' }, ...families, ...types];
}

function view(e: WebhookEndpoint) {
  const { workspaceId: _w, ...rest } = e;
  return rest;
}

/** A field's problem, for the form to show beside that field. */
const fieldError = (field: string, message: string) => new ConsoleError(400, 'invalid', message, { field });

function input(request: FastifyRequest, creating: boolean): EndpointInput {
  const b = request.body;
  const raw = b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
  const out: EndpointInput = {};
  if (raw.url !== undefined || creating) {
    if (typeof raw.url !== 'string' || !raw.url.trim()) throw fieldError('url', 'Enter the endpoint URL.');
    if (raw.url.length > 2048) throw fieldError('url', 'The URL is longer than 2048 characters.');
    out.url = raw.url.trim();
  }
  if (raw.description !== undefined) {
    if (raw.description !== null && typeof raw.description !== 'string')
      throw fieldError('description', 'The description must be text.');
    out.description = raw.description === null ? null : raw.description.trim().slice(0, 500) || null;
  }
  if (raw.eventTypes !== undefined) {
    const allowed = new Set(subscribable().map((t) => t.type));
    if (
      !Array.isArray(raw.eventTypes) ||
      raw.eventTypes.some((t) => typeof t !== 'string' || !allowed.has(t))
    )
      throw fieldError('eventTypes', 'Choose event types from the list.');
    if (raw.eventTypes.length === 0) throw fieldError('eventTypes', 'Choose at least one event type.');
    out.eventTypes = raw.eventTypes as string[];
  }
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled !== 'boolean') throw badRequest('"enabled" must be true or false.');
    out.enabled = raw.enabled;
  }
  return out;
}

/** The use case's input errors are about the URL once the event types passed the check above. */
async function urlErrors<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof WebhookInputError) throw fieldError('url', e.message);
    throw e;
  }
}

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

export function registerWebhookRoutes(app: FastifyInstance, deps: Deps): void {
  const db = deps.store.db;

  app.get('/webhooks', async (request) => {
    const s = requireRole(request, 'Admin');
    return { endpoints: (await listEndpoints(db, s.workspace.id)).map(view), eventTypes: subscribable() };
  });

  app.post('/webhooks', async (request, reply) => {
    const s = requireRole(request, 'Admin');
    const body = input(request, true) as EndpointInput & { url: string };
    const { endpoint, secret } = await urlErrors(
      createEndpoint(deps, s.workspace.id, body, actorOf(request)),
    );
    return reply.code(201).send({ endpoint: view(endpoint), secret });
  });

  app.get('/webhooks/:id', async (request) => {
    const s = requireRole(request, 'Admin');
    const e = await findEndpoint(db, s.workspace.id, idOf(request));
    if (!e) throw notFoundError('The webhook endpoint');
    return { endpoint: view(e), eventTypes: subscribable() };
  });

  app.patch('/webhooks/:id', async (request) => {
    const s = requireRole(request, 'Admin');
    const body = input(request, false);
    const e = await urlErrors(updateEndpoint(deps, s.workspace.id, idOf(request), body, actorOf(request)));
    if (!e) throw notFoundError('The webhook endpoint');
    return { endpoint: view(e) };
  });

  app.delete('/webhooks/:id', async (request, reply) => {
    const s = requireRole(request, 'Admin');
    if (!(await deleteEndpoint(deps, s.workspace.id, idOf(request), actorOf(request))))
      throw notFoundError('The webhook endpoint');
    return reply.code(204).send();
  });

  app.post('/webhooks/:id/test', async (request, reply) => {
    const s = requireRole(request, 'Admin');
    const sent = await sendTestEvent(deps, s.workspace.id, idOf(request), actorOf(request));
    if (!sent) throw notFoundError('The webhook endpoint');
    return reply.code(202).send(sent);
  });

  app.get('/webhooks/:id/deliveries', async (request) => {
    const s = requireRole(request, 'Admin');
    const id = idOf(request);
    if (!(await findEndpoint(db, s.workspace.id, id))) throw notFoundError('The webhook endpoint');
    const status = param(request.query, 'status');
    if (status && !['pending', 'delivered', 'failed'].includes(status))
      throw badRequest('status is "pending", "delivered" or "failed".');
    const before = param(request.query, 'before');
    if (before !== undefined && !/^\d+$/.test(before)) throw badRequest('"before" is an event position.');
    const limit = limitParam(request.query, 25, 100);
    const rows = await listDeliveries(db, s.workspace.id, id, {
      ...(status ? { status } : {}),
      ...(before ? { before: Number(before) } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      deliveries: page,
      next: rows.length > limit ? (page.at(-1)?.eventPosition ?? null) : null,
    };
  });

  app.post('/webhooks/:id/deliveries/:deliveryId/redeliver', async (request, reply) => {
    const s = requireRole(request, 'Admin');
    const { id, deliveryId } = request.params as { id: string; deliveryId: string };
    if (!(await redeliver(deps, s.workspace.id, id, deliveryId))) throw notFoundError('The delivery');
    return reply.code(202).send({ queued: true });
  });
}
