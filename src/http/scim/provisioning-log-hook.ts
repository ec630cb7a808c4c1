import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { createProvisioningRecorder } from '../../events/provisioning-log.js';
import { sentScimBody } from './context.js';

// Records each authenticated SCIM request in the provisioning log once its response has been sent.
// Entries are queued and written in batches: a failure to write is logged and never reaches the
// identity provider, and a read costs no extra transaction.

/** A successful read: its response body is not kept (it is large, repeated, and rebuildable). */
function isRead(request: FastifyRequest, status: number): boolean {
  if (status >= 400) return false;
  return request.method === 'GET' || (request.method === 'POST' && /\/\.search(\?|$)/.test(request.url));
}

/** Adds the onResponse hook to the SCIM plugin's context, and flushes the queue on close. */
export function installProvisioningLog(app: FastifyInstance, deps: Deps): void {
  const recorder = createProvisioningRecorder(deps);
  app.addHook('onClose', async () => {
    await recorder.flush();
  });
  app.addHook('onResponse', async (request, reply) => {
    const state = request.scim;
    if (!state) return;
    const status = reply.statusCode;
    const actor = state.caller.actor;
    recorder.record({
      workspaceId: state.caller.workspace.id,
      tokenId: actor.id,
      method: request.method,
      path: request.url,
      status,
      durationMs: Math.round(reply.elapsedTime),
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      notes: state.notes,
      requestBody: request.body,
      responseBody: isRead(request, status) ? undefined : sentScimBody(request),
      // A failed request's transaction rolled back: it caused no event.
      eventPositions: status < 400 ? (actor.positions ?? []) : [],
      createdAt: deps.clock.now().toISOString(),
    });
  });
}
