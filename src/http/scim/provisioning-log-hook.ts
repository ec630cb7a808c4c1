import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { recordProvisioning } from '../../events/provisioning-log.js';

// Records each authenticated SCIM request in the provisioning log once its response has been sent:
// a failure to write the entry is logged and never reaches the identity provider.

const sentBodies = new WeakMap<FastifyRequest, unknown>();

/** Adds the onSend/onResponse hooks to the SCIM plugin's context. */
export function installProvisioningLog(app: FastifyInstance, deps: Deps): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    // The payload is a string or a Buffer here (a stream is not logged).
    if (request.scim) sentBodies.set(request, Buffer.isBuffer(payload) ? payload.toString() : payload);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const state = request.scim;
    if (!state) return;
    const status = reply.statusCode;
    const actor = state.caller.actor;
    await recordProvisioning(deps, {
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
      responseBody: sentBodies.get(request),
      // A failed request's transaction rolled back: it caused no event.
      eventPositions: status < 400 ? (actor.positions ?? []) : [],
      createdAt: deps.clock.now().toISOString(),
    });
  });
}
