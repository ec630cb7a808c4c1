import type { FastifyInstance } from 'fastify';
import { parseRole, ROLES, roleFrom, setGroupRole } from '../../directory/roles.js';
import { mappedGroups, searchGroups, searchMembers } from '../../store/api-members.js';
import { findGroup, type GroupRecord } from '../../store/groups.js';
import { pageMembers } from '../../store/memberships.js';
import { findUser, groupsOfUsers, type UserRecord } from '../../store/users.js';
import type { Workspace } from '../../store/workspaces.js';
import { type ApiServices, apiErrors, decodeCursor, defineRoute, pageOf, s } from './route.js';

// Members, groups, roles and group-to-role mappings: what the host application reads back.

const member = s.obj({
  id: s.str(),
  userName: s.str(),
  displayName: s.nstr(),
  email: s.nstr(),
  externalId: s.nstr(),
  status: s.str({ enum: ['active', 'suspended'] }),
  role: s.str({ enum: [...ROLES] }),
  groups: s.arr(s.obj({ id: s.str(), displayName: s.str() })),
  createdAt: s.str(),
  updatedAt: s.str(),
});
const group = s.obj({
  id: s.str(),
  displayName: s.str(),
  externalId: s.nstr(),
  role: s.nstr(),
  memberCount: s.int(),
  createdAt: s.str(),
  updatedAt: s.str(),
});

function primaryEmail(u: UserRecord): string | null {
  const emails = u.document.emails;
  if (!Array.isArray(emails)) return null;
  const list = emails as { value?: unknown; primary?: unknown }[];
  const chosen = list.find((e) => e.primary === true) ?? list[0];
  return typeof chosen?.value === 'string' ? chosen.value : null;
}

function renderGroup(g: GroupRecord) {
  return {
    id: g.id,
    displayName: g.displayName,
    externalId: g.externalId,
    role: g.role,
    memberCount: g.memberCount,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}

export function registerDirectoryRoutes(app: FastifyInstance, services: ApiServices): void {
  const { deps } = services;
  const db = deps.store.db;

  async function renderMembers(workspace: Workspace, users: UserRecord[]) {
    // The groups carry their mapped roles: the effective role needs no query of its own.
    const groups = await groupsOfUsers(
      db,
      workspace.id,
      users.map((u) => u.id),
    );
    const roles = new Map(
      users.map((u) => [
        u.id,
        roleFrom(
          (groups.get(u.id) ?? []).map((g) => g.role),
          u.role,
          workspace.settings.defaultRole,
        ),
      ]),
    );
    return users.map((u) => ({
      id: u.id,
      userName: u.userName,
      displayName: u.displayName,
      email: primaryEmail(u),
      externalId: u.externalId,
      status: u.active ? 'active' : 'suspended',
      role: roles.get(u.id) ?? null,
      groups: (groups.get(u.id) ?? []).map((g) => ({ id: g.id, displayName: g.displayName })),
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
    }));
  }

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/members',
      scope: 'api:read',
      tag: 'Members',
      summary: 'List members: search by userName, displayName or email; filter by status, role, group.',
      querystring: s.obj({
        q: s.str({ maxLength: 200 }),
        status: s.str({ enum: ['active', 'suspended'] }),
        role: s.str({ enum: [...ROLES] }),
        group: s.str({ maxLength: 200 }),
        cursor: s.cursor(),
        limit: s.limit(),
      }),
      response: { status: 200, description: 'A page of members.', schema: s.page(member) },
    },
    async (request, _reply, ctx) => {
      const q = request.query as {
        q?: string;
        status?: 'active' | 'suspended';
        role?: string;
        group?: string;
        cursor?: string;
        limit: number;
      };
      const users = await searchMembers(db, ctx.workspace.id, {
        q: q.q,
        status: q.status,
        role: q.role,
        defaultRole: ctx.workspace.settings.defaultRole,
        groupId: q.group,
        afterId: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const page = pageOf(users, q.limit, (u) => u.id);
      return { data: await renderMembers(ctx.workspace, page.data), next_cursor: page.next_cursor };
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/members/:id',
      scope: 'api:read',
      tag: 'Members',
      summary: 'One member, with their effective role and groups.',
      params: s.idParams(),
      response: { status: 200, description: 'The member.', schema: member },
    },
    async (request, _reply, ctx) => {
      const { id } = request.params as { id: string };
      const user = await findUser(db, deps.store.engine, ctx.workspace.id, id);
      if (!user) throw apiErrors.notFound('Member');
      const [rendered] = await renderMembers(ctx.workspace, [user]);
      return rendered;
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/groups',
      scope: 'api:read',
      tag: 'Groups',
      summary: 'List groups, optionally searching by display name.',
      querystring: s.obj({ q: s.str({ maxLength: 200 }), cursor: s.cursor(), limit: s.limit() }),
      response: { status: 200, description: 'A page of groups.', schema: s.page(group) },
    },
    async (request, _reply, ctx) => {
      const q = request.query as { q?: string; cursor?: string; limit: number };
      const rows = await searchGroups(db, ctx.workspace.id, {
        q: q.q,
        afterId: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const page = pageOf(rows, q.limit, (g) => g.id);
      return { data: page.data.map(renderGroup), next_cursor: page.next_cursor };
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/groups/:id',
      scope: 'api:read',
      tag: 'Groups',
      summary: 'One group.',
      params: s.idParams(),
      response: { status: 200, description: 'The group.', schema: group },
    },
    async (request, _reply, ctx) => {
      const { id } = request.params as { id: string };
      const g = await findGroup(db, deps.store.engine, ctx.workspace.id, id);
      if (!g) throw apiErrors.notFound('Group');
      return renderGroup(g);
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/groups/:id/members',
      scope: 'api:read',
      tag: 'Groups',
      summary: 'A group’s members, paged by cursor.',
      params: s.idParams(),
      querystring: s.obj({ cursor: s.cursor(), limit: s.limit(1000, 100) }),
      response: {
        status: 200,
        description: 'A page of member references.',
        schema: s.page(s.obj({ id: s.str(), type: s.str(), display: s.nstr() })),
      },
    },
    async (request, _reply, ctx) => {
      const { id } = request.params as { id: string };
      const q = request.query as { cursor?: string; limit: number };
      const g = await findGroup(db, deps.store.engine, ctx.workspace.id, id);
      if (!g) throw apiErrors.notFound('Group');
      const rows = await pageMembers(db, ctx.workspace.id, id, decodeCursor(q.cursor), q.limit + 1);
      return pageOf(rows, q.limit, (m) => m.id);
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'GET',
      url: '/roles',
      scope: 'api:read',
      tag: 'Roles',
      summary: 'The workspace roles, the default role, and which groups map to which role.',
      response: {
        status: 200,
        description: 'Roles and mappings.',
        schema: s.obj({
          roles: s.arr(s.str()),
          defaultRole: s.str(),
          mappings: s.arr(s.obj({ groupId: s.str(), displayName: s.str(), role: s.str() })),
        }),
      },
    },
    async (_request, _reply, ctx) => {
      const groups = await mappedGroups(db, ctx.workspace.id);
      return {
        roles: ROLES,
        defaultRole: ctx.workspace.settings.defaultRole,
        mappings: groups.map((g) => ({ groupId: g.id, displayName: g.displayName, role: g.role })),
      };
    },
  );

  defineRoute(
    app,
    services,
    {
      method: 'PUT',
      url: '/groups/:id/role',
      scope: 'api:write',
      tag: 'Roles',
      summary: 'Map a group to a role (its members get the highest role of their groups); null unmaps it.',
      params: s.idParams(),
      body: s.obj({ role: { type: ['string', 'null'], enum: [...ROLES, null] } }, ['role']),
      response: { status: 200, description: 'The group with its new role.', schema: group },
    },
    async (request, _reply, ctx) => {
      const { id } = request.params as { id: string };
      const { role } = request.body as { role: string | null };
      const parsed = role === null ? null : parseRole(role);
      if (parsed === undefined) throw apiErrors.badRequest(`Unknown role "${role}".`);
      await setGroupRole(deps, { workspace: ctx.workspace, actor: ctx.actor }, id, parsed);
      const g = await findGroup(db, deps.store.engine, ctx.workspace.id, id);
      if (!g) throw apiErrors.notFound('Group');
      return renderGroup(g);
    },
  );
}
