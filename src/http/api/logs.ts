import type { FastifyInstance } from 'fastify';
import { readAudit, readFeed, recordSensitiveRead } from '../../events/audit.js';
import { eventCatalog } from '../../events/catalog.js';
import { queryProvisioningLog } from '../../store/provisioning-log.js';
import { type ApiServices, decodeCursor, decodePositionCursor, defineRoute, pageOf, s } from './route.js';

// The events feed, the audit log and the provisioning log.

const event = s.obj({
  position: s.int(),
  id: s.str(),
  type: s.str({ enum: eventCatalog.map((e) => e.type) }),
  resourceType: s.nstr(),
  resourceId: s.nstr(),
  actor: s.obj({ type: s.str(), id: s.nstr(), ip: s.nstr(), userAgent: s.nstr() }),
  data: {},
  createdAt: s.str(),
});

export function registerLogRoutes(app: FastifyInstance, services: ApiServices): void {
  const { deps } = services;

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/events',
      scope: 'api:read',
      tag: 'Events',
      summary: 'The events feed: events after a position, in order; continue from next_after.',
      querystring: s.obj({ after: s.int({ minimum: 0, default: 0 }), limit: s.limit(1000, 100) }),
      response: {
        status: 200,
        description: 'Events in position order.',
        schema: s.obj({ data: s.arr(event), next_after: s.int() }),
      },
    },
    async (request, _reply, ctx) => {
      const q = request.query as { after: number; limit: number };
      return readFeed(deps, ctx.workspace.id, q.after, q.limit);
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/event-types',
      scope: 'api:read',
      tag: 'Events',
      summary: 'The catalogue of event types.',
      response: {
        status: 200,
        description: 'Event types.',
        schema: s.obj({ data: s.arr({ type: 'object' }) }),
      },
    },
    async () => ({ data: eventCatalog }),
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/audit-log',
      scope: 'api:read',
      tag: 'Audit',
      summary:
        'Who did what, when and from where; newest first; filter by actor, type (or `user.*`), resource, time.',
      querystring: s.obj({
        actor_type: s.str({ enum: ['token', 'admin', 'cli', 'system'] }),
        actor_id: s.str({ maxLength: 200 }),
        type: s.str({ maxLength: 100 }),
        resource_type: s.str({ maxLength: 50 }),
        resource_id: s.str({ maxLength: 200 }),
        since: s.time(),
        until: s.time(),
        cursor: s.cursor(),
        limit: s.limit(),
      }),
      response: { status: 200, description: 'A page of events, newest first.', schema: s.page(event) },
    },
    async (request, _reply, ctx) => {
      const q = request.query as Record<string, string | undefined> & { limit: number };
      const before = decodePositionCursor(q.cursor);
      const rows = await readAudit(deps, ctx.workspace.id, {
        actorType: q.actor_type,
        actorId: q.actor_id,
        type: q.type,
        resourceType: q.resource_type,
        resourceId: q.resource_id,
        since: q.since ? new Date(q.since).toISOString() : undefined,
        until: q.until ? new Date(q.until).toISOString() : undefined,
        before,
        limit: q.limit + 1,
      });
      return pageOf(rows, q.limit, (e) => e.position);
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/provisioning-log',
      scope: 'api:read',
      tag: 'Provisioning log',
      summary:
        'Each SCIM request and response (redacted), newest first; filter by status, user, group, IdP, time.',
      querystring: s.obj({
        status: s.str({ pattern: '^(success|error|[1-5][0-9][0-9])$' }),
        user_id: s.str({ maxLength: 200 }),
        group_id: s.str({ maxLength: 200 }),
        idp: s.str({ maxLength: 50 }),
        since: s.time(),
        until: s.time(),
        cursor: s.cursor(),
        limit: s.limit(),
      }),
      response: { status: 200, description: 'A page of entries.', schema: s.page({ type: 'object' }) },
    },
    async (request, _reply, ctx) => {
      const q = request.query as Record<string, string | undefined> & { limit: number };
      const status =
        q.status === undefined || q.status === 'success' || q.status === 'error'
          ? q.status
          : Number(q.status);
      const rows = await queryProvisioningLog(deps.store.db, ctx.workspace.id, {
        status,
        resourceId: q.user_id ?? q.group_id,
        resourceType: q.user_id ? 'User' : q.group_id ? 'Group' : undefined,
        idp: q.idp,
        since: q.since ? new Date(q.since).toISOString() : undefined,
        until: q.until ? new Date(q.until).toISOString() : undefined,
        beforeId: decodeCursor(q.cursor),
        limit: q.limit,
      });
      // The log holds what identity providers sent: reading it is a sensitive read, audited.
      await recordSensitiveRead(deps, ctx.workspace.id, ctx.actor, 'provisioning_log.read', {
        filters: { ...q, cursor: undefined },
        returned: Math.min(rows.length, q.limit),
      });
      return pageOf(rows, q.limit, (e) => e.id);
    },
  );
}
