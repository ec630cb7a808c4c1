import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { recordSensitiveRead } from '../../events/audit.js';
import { eventsAtPositions, findProvisioningEntry } from '../../store/console-logs.js';
import { type ProvisioningEntry, queryProvisioningLog } from '../../store/provisioning-log.js';
import {
  actorOf,
  badRequest,
  limitParam,
  notFoundError,
  param,
  providerFromUserAgent,
  requireRole,
} from './context.js';

// The provisioning log in the console: the list carries no bodies; opening one entry shows its
// redacted bodies and is recorded as a sensitive read, as the REST API does for its list.

const IDPS = ['okta', 'entra', 'onelogin', 'jumpcloud', 'google', 'authentik', 'keycloak', 'unknown'];

function time(query: unknown, name: string): string | undefined {
  const v = param(query, name);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw badRequest(`"${name}" is not a date and time.`);
  return new Date(t).toISOString();
}

function row(e: ProvisioningEntry) {
  return {
    id: e.id,
    createdAt: e.createdAt,
    method: e.method,
    path: e.path,
    status: e.status,
    durationMs: e.durationMs,
    idp: e.idp,
    provider: providerFromUserAgent(e.userAgent),
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    notes: e.notes.length,
  };
}

/** A stored body as JSON when it parses (it was redacted before it was stored), else as text. */
function body(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function registerProvisioningRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/provisioning', async (request) => {
    const s = requireRole(request, 'Admin');
    const q = request.query;
    const status = param(q, 'status');
    if (status && status !== 'success' && status !== 'error')
      throw badRequest('status is "success" or "error".');
    const idp = param(q, 'idp');
    if (idp && !IDPS.includes(idp)) throw badRequest(`idp is one of ${IDPS.join(', ')}.`);
    const user = param(q, 'user');
    const group = param(q, 'group');
    if (user && group) throw badRequest('Filter by a user or by a group, not both.');
    const since = time(q, 'since');
    const until = time(q, 'until');
    const limit = limitParam(q);
    const before = param(q, 'before');
    // queryProvisioningLog fetches limit+1 itself to tell whether there is a next page.
    const rows = await queryProvisioningLog(deps.store.db, s.workspace.id, {
      ...(status ? { status: status as 'success' | 'error' } : {}),
      ...(user ? { resourceId: user, resourceType: 'User' } : {}),
      ...(group ? { resourceId: group, resourceType: 'Group' } : {}),
      ...(idp ? { idp } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      ...(before ? { beforeId: before } : {}),
      limit,
    });
    const page = rows.slice(0, limit);
    return {
      entries: page.map(row),
      next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      idps: IDPS,
    };
  });

  app.get('/provisioning/:id', async (request) => {
    const s = requireRole(request, 'Admin');
    const id = (request.params as { id: string }).id;
    const e = await findProvisioningEntry(deps.store.db, s.workspace.id, id);
    if (!e) throw notFoundError('The provisioning log entry');
    const events = await eventsAtPositions(deps.store.db, s.workspace.id, e.eventPositions);
    // The bodies are what the identity provider sent (redacted): reading them is audited.
    await recordSensitiveRead(deps, s.workspace.id, actorOf(request), 'provisioning_log.read', {
      entry: e.id,
    });
    return {
      entry: {
        ...row(e),
        ip: e.ip,
        userAgent: e.userAgent,
        notes: e.notes,
        requestBody: body(e.requestBody),
        responseBody: body(e.responseBody),
      },
      events: events.map((v) => ({
        position: v.position,
        type: v.type,
        resourceType: v.resourceType,
        resourceId: v.resourceId,
      })),
    };
  });
}
