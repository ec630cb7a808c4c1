import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { effectiveRoles } from '../../directory/roles.js';
import {
  countMembersFiltered,
  groupsOfMember,
  pageGroupsFiltered,
  pageMembersFiltered,
} from '../../store/console-reads.js';
import { queryAudit } from '../../store/events.js';
import { findGroup } from '../../store/groups.js';
import { pageMembers } from '../../store/memberships.js';
import { findUser, type UserRecord } from '../../store/users.js';
import type { Workspace } from '../../store/workspaces.js';
import { badRequest, limitParam, notFoundError, param, providerFromUserAgent, session } from './context.js';
import { registerGroupRoleRoute } from './group-role.js';

const ROLES = ['Admin', 'Editor', 'Viewer', 'Guest'];

function primaryEmail(doc: Record<string, unknown>): string | null {
  const emails = Array.isArray(doc.emails) ? (doc.emails as Record<string, unknown>[]) : [];
  const pick = emails.find((e) => e?.primary === true) ?? emails.find((e) => e?.type === 'work') ?? emails[0];
  return typeof pick?.value === 'string' ? pick.value : null;
}

function memberRow(u: UserRecord, w: Workspace, roles: Map<string, string>) {
  return {
    id: u.id,
    userName: u.userName,
    displayName: u.displayName,
    email: primaryEmail(u.document),
    active: u.active,
    role: roles.get(u.id) ?? u.role ?? w.settings.defaultRole,
    updatedAt: u.updatedAt,
  };
}

/** Members and groups: readable by every console role (Admin, Editor, Viewer). */
export function registerDirectoryRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/members', async (request) => {
    const s = session(request);
    const w = s.workspace; // loaded fresh by the session check of this request
    const status = param(request.query, 'status');
    if (status && status !== 'active' && status !== 'suspended')
      throw badRequest('status is "active" or "suspended".');
    const role = param(request.query, 'role');
    if (role && !ROLES.includes(role)) throw badRequest(`role is one of ${ROLES.join(', ')}.`);
    const filters = {
      defaultRole: w.settings.defaultRole,
      ...(param(request.query, 'q') ? { q: param(request.query, 'q') } : {}),
      ...(status ? { status: status as 'active' | 'suspended' } : {}),
      ...(role ? { role } : {}),
      ...(param(request.query, 'group') ? { groupId: param(request.query, 'group') } : {}),
    };
    const limit = limitParam(request.query);
    const after = param(request.query, 'after');
    // One row more than the page tells whether there is a next page without a second query.
    const [rows, total] = await Promise.all([
      pageMembersFiltered(deps.store.db, w.id, {
        ...filters,
        ...(after ? { afterId: after } : {}),
        limit: limit + 1,
      }),
      countMembersFiltered(deps.store.db, w.id, filters),
    ]);
    const page = rows.slice(0, limit);
    const roles = await effectiveRoles(
      deps.store.db,
      w.id,
      page.map((u) => u.id),
      w.settings.defaultRole,
    );
    return {
      members: page.map((u) => memberRow(u, w, roles)),
      total,
      next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  });

  app.get('/members/:id', async (request) => {
    const s = session(request);
    const w = s.workspace; // loaded fresh by the session check of this request
    const id = (request.params as { id: string }).id;
    const u = await findUser(deps.store.db, deps.store.engine, w.id, id);
    if (!u) throw notFoundError('The member');
    const groups = await groupsOfMember(deps.store.db, w.id, id);
    const history = await queryAudit(deps.store.db, w.id, { resourceId: id, limit: 50 });
    const roles = await effectiveRoles(deps.store.db, w.id, [id], w.settings.defaultRole);
    const effective = roles.get(id) ?? w.settings.defaultRole;
    const granting = groups.filter((g) => g.role !== null && g.role === effective);
    const roleSource =
      granting.length > 0
        ? { kind: 'group', detail: `Mapped from the group ${granting.map((g) => g.displayName).join(', ')}` }
        : u.role !== null
          ? { kind: 'direct', detail: 'Set on the member itself (by the identity provider or an Admin)' }
          : { kind: 'default', detail: `The workspace's default role (${w.settings.defaultRole})` };
    return {
      member: {
        ...memberRow(u, w, roles),
        externalId: u.externalId,
        createdAt: u.createdAt,
        document: u.document,
      },
      roleSource,
      groups,
      history: history.map((e) => ({
        position: e.position,
        type: e.type,
        createdAt: e.createdAt,
        actor: e.actor.type,
        provider: e.actor.type === 'token' ? providerFromUserAgent(e.actor.userAgent) : null,
      })),
    };
  });

  app.get('/groups', async (request) => {
    const s = session(request);
    const limit = limitParam(request.query);
    const after = param(request.query, 'after');
    const q = param(request.query, 'q');
    const { groups, total } = await pageGroupsFiltered(deps.store.db, s.workspace.id, {
      ...(q ? { q } : {}),
      ...(after ? { afterId: after } : {}),
      limit: limit + 1,
    });
    const page = groups.slice(0, limit);
    return {
      groups: page.map((g) => ({
        id: g.id,
        displayName: g.displayName,
        externalId: g.externalId,
        memberCount: g.memberCount,
        role: g.role,
      })),
      total,
      next: groups.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  });

  app.get('/groups/:id', async (request) => {
    const s = session(request);
    const g = await findGroup(
      deps.store.db,
      deps.store.engine,
      s.workspace.id,
      (request.params as { id: string }).id,
    );
    if (!g) throw notFoundError('The group');
    return {
      group: {
        id: g.id,
        displayName: g.displayName,
        externalId: g.externalId,
        memberCount: g.memberCount,
        role: g.role,
        createdAt: g.createdAt,
        updatedAt: g.updatedAt,
      },
      canEditRole: s.admin.role === 'Admin',
      roles: ROLES,
    };
  });

  app.get('/groups/:id/members', async (request) => {
    const s = session(request);
    const id = (request.params as { id: string }).id;
    const limit = limitParam(request.query);
    const rows = await pageMembers(
      deps.store.db,
      s.workspace.id,
      id,
      param(request.query, 'after'),
      limit + 1,
    );
    const page = rows.slice(0, limit);
    return { members: page, next: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
  });

  registerGroupRoleRoute(app, deps);
}
