import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { parseRole, setGroupRole } from '../../directory/roles.js';
import { actorOf, badRequest, requireRole } from './context.js';

/** PUT /groups/:id/role: an Admin maps a group to a workspace role (or clears it with null). */
export function registerGroupRoleRoute(app: FastifyInstance, deps: Deps): void {
  app.put('/groups/:id/role', async (request) => {
    const s = requireRole(request, 'Admin');
    const raw = (request.body as { role?: unknown } | undefined)?.role;
    if (raw !== null && typeof raw !== 'string') throw badRequest('"role" must be a role name or null.');
    const role = raw === null ? null : parseRole(raw);
    if (role === undefined) throw badRequest('"role" must be Admin, Editor, Viewer, Guest or null.');
    const id = (request.params as { id: string }).id;
    const { previous } = await setGroupRole(
      deps,
      { workspace: s.workspace, actor: actorOf(request) },
      id,
      role,
    );
    return { role, previous };
  });
}
