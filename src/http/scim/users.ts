import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listUsers } from '../../directory/list-users.js';
import { effectiveRoles, roleFrom } from '../../directory/roles.js';
import {
  type Caller,
  createUser,
  deleteUser,
  getUser,
  patchUser,
  replaceUser,
  WORKSPACE_ROLE_TYPE,
} from '../../directory/users.js';
import { matchesIfNoneMatch } from '../../scim/etag.js';
import { listResponse, readListParams } from '../../scim/list.js';
import { type Projection, projectResource, readProjection, wantsAttribute } from '../../scim/projection.js';
import { etagOf, renderResource } from '../../scim/render.js';
import type { ResourceContext } from '../../scim/resource-types.js';
import { groupsOfUsers, type UserRecord } from '../../store/users.js';
import { header, queryOf, type ScimServices, scimState, sendScim } from './context.js';

/** Renders users with their derived `groups` (one query for the whole page, and only when asked for). */
export async function renderUsers(
  services: ScimServices,
  caller: Caller,
  users: UserRecord[],
  ctx: ResourceContext,
  baseUrl: string,
  projection: Projection,
): Promise<Record<string, unknown>[]> {
  const groups = wantsAttribute(projection, ctx, 'groups')
    ? await groupsOfUsers(
        services.deps.store.db,
        caller.workspace.id,
        users.map((u) => u.id),
      )
    : undefined;
  // `roles` is derived (read-only) from group→role mappings, but only for users whose client sent no
  // roles of its own: a client's roles are kept and returned as sent. With the groups loaded, the
  // role comes from them; otherwise one query computes it.
  const needRoles = wantsAttribute(projection, ctx, 'roles')
    ? users.filter((u) => u.document.roles === undefined)
    : [];
  const fallback = caller.workspace.settings.defaultRole;
  const roles = groups
    ? new Map(
        needRoles.map((u) => [
          u.id,
          roleFrom(
            (groups.get(u.id) ?? []).map((g) => g.role),
            u.role,
            fallback,
          ),
        ]),
      )
    : needRoles.length > 0
      ? await effectiveRoles(
          services.deps.store.db,
          caller.workspace.id,
          needRoles.map((u) => u.id),
          fallback,
        )
      : undefined;
  return users.map((u) => {
    const list = groups?.get(u.id);
    const role = roles?.get(u.id);
    const derived = list
      ? {
          groups: list.map((g) => ({
            value: g.id,
            $ref: `${baseUrl}/Groups/${g.id}`,
            display: g.displayName,
            type: 'direct',
          })),
        }
      : {};
    const withRole = role
      ? { ...derived, roles: [{ value: role, type: WORKSPACE_ROLE_TYPE, primary: true }] }
      : derived;
    return projectResource(renderResource(u, ctx, baseUrl, withRole), projection, ctx);
  });
}

async function sendUser(
  services: ScimServices,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  user: UserRecord,
): Promise<FastifyReply> {
  const state = scimState(request);
  const projection = readProjection(queryOf(request));
  const [body] = await renderUsers(
    services,
    state.caller,
    [user],
    state.userContext,
    state.baseUrl,
    projection,
  );
  reply.header('ETag', etagOf(user.version));
  if (status === 201) reply.header('Location', `${state.baseUrl}/Users/${user.id}`);
  return sendScim(reply, status, body);
}

async function sendList(
  services: ScimServices,
  request: FastifyRequest,
  reply: FastifyReply,
  source: Record<string, unknown>,
) {
  const state = scimState(request);
  const { deps } = services;
  const params = readListParams(source, deps.config.maxResults);
  const projection = readProjection(source);
  const page = await listUsers(deps, state.caller, params, state.userContext, services.pages);
  const resources = await renderUsers(
    services,
    state.caller,
    page.users,
    state.userContext,
    state.baseUrl,
    projection,
  );
  return sendScim(reply, 200, listResponse(resources, page.totalResults, page.startIndex, page));
}

type IdParams = { Params: { id: string } };

/** The /Users routes (RFC 7644 §3.3–§3.6). */
export function registerUserRoutes(app: FastifyInstance, services: ScimServices): void {
  const { deps } = services;

  app.post('/Users', async (request, reply) => {
    const state = scimState(request);
    const result = await createUser(deps, state.caller, request.body, state.userContext);
    state.notes.push(...result.notes);
    return sendUser(services, request, reply, 201, result.user);
  });

  app.get('/Users', async (request, reply) => sendList(services, request, reply, queryOf(request)));

  app.post('/Users/.search', async (request, reply) =>
    sendList(services, request, reply, (request.body ?? {}) as Record<string, unknown>),
  );

  app.get<IdParams>('/Users/:id', async (request, reply) => {
    const state = scimState(request);
    const user = await getUser(deps, state.caller, request.params.id);
    if (matchesIfNoneMatch(header(request, 'if-none-match'), user.version)) {
      return reply.code(304).header('ETag', etagOf(user.version)).send();
    }
    return sendUser(services, request, reply, 200, user);
  });

  app.put<IdParams>('/Users/:id', async (request, reply) => {
    const state = scimState(request);
    const result = await replaceUser(
      deps,
      state.caller,
      request.params.id,
      request.body,
      state.userContext,
      header(request, 'if-match'),
    );
    state.notes.push(...result.notes);
    return sendUser(services, request, reply, 200, result.user);
  });

  app.patch<IdParams>('/Users/:id', async (request, reply) => {
    const state = scimState(request);
    const result = await patchUser(
      deps,
      state.caller,
      request.params.id,
      request.body,
      state.userContext,
      header(request, 'if-match'),
    );
    state.notes.push(...result.notes);
    return sendUser(services, request, reply, 200, result.user);
  });

  app.delete<IdParams>('/Users/:id', async (request, reply) => {
    const state = scimState(request);
    await deleteUser(deps, state.caller, request.params.id, header(request, 'if-match'));
    return reply.code(204).send();
  });
}
