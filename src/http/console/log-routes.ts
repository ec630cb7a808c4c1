import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { queryAudit } from '../../store/events.js';
import { badRequest, limitParam, param, providerFromUserAgent, requireRole } from './context.js';

/** The audit log (every event) and the provisioning log (SCIM requests): Admins only. */
export function registerLogRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/audit', async (request) => {
    const s = requireRole(request, 'Admin');
    const limit = limitParam(request.query);
    const before = param(request.query, 'before');
    if (before !== undefined && !/^\d+$/.test(before)) throw badRequest('"before" is an event position.');
    const actor = param(request.query, 'actor');
    const type = param(request.query, 'type');
    const resource = param(request.query, 'resource');
    const rows = await queryAudit(deps.store.db, s.workspace.id, {
      ...(actor ? { actorType: actor } : {}),
      ...(type ? { type } : {}),
      ...(resource ? { resourceId: resource } : {}),
      ...(before ? { before: Number(before) } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      events: page.map((e) => ({
        ...e,
        provider: e.actor.type === 'token' ? providerFromUserAgent(e.actor.userAgent) : null,
      })),
      next: rows.length > limit ? (page.at(-1)?.position ?? null) : null,
    };
  });

  app.get('/audit/:position', async (request) => {
    const s = requireRole(request, 'Admin');
    const position = Number((request.params as { position: string }).position);
    if (!Number.isInteger(position) || position < 1) throw badRequest('Not an event position.');
    const [e] = await queryAudit(deps.store.db, s.workspace.id, { before: position + 1, limit: 1 });
    if (!e || e.position !== position) throw badRequest('No such event.');
    return {
      event: { ...e, provider: e.actor.type === 'token' ? providerFromUserAgent(e.actor.userAgent) : null },
    };
  });
}
