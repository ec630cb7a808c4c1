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
  type WriteResult,
} from '../../directory/users.js';
import { listResponse, readListParams } from '../../scim/list.js';
import { type Projection, projectResource, readProjection, wantsAttribute } from '../../scim/projection.js';
import { renderResource } from '../../scim/render.js';
import type { ResourceContext } from '../../scim/resource-types.js';
import { groupsOfUsers, type UserRecord } from '../../store/users.js';
import { queryOf, type ScimServices, scimState, sendScim } from './context.js';
import { registerResourceRoutes, type SendOne, setResourceHeaders } from './resource-routes.js';

/** Renders users with their derived `groups` (one query for the whole page, and only when asked for). */
export async function renderUsers(
  services: ScimServices,
  caller: Caller,
  users: UserRecord[],
  ctx: ResourceContext,
  baseUrl: string,
  projection: Projection,
  /** The users' groups when the caller knows them already (a user just created has none). */
  knownGroups?: Map<string, { id: string; displayName: string; role: string | null }[]>,
): Promise<Record<string, unknown>[]> {
  const groups =
    knownGroups ??
    (wantsAttribute(projection, ctx, 'groups')
      ? await groupsOfUsers(
          services.deps.store.db,
          caller.workspace.id,
          users.map((u) => u.id),
        )
      : undefined);
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

function sendUser(services: ScimServices): SendOne<UserRecord> {
  return async (request, reply, status, user) => {
    const state = scimState(request);
    const projection = readProjection(queryOf(request));
    const [body] = await renderUsers(
      services,
      state.caller,
      [user],
      state.userContext,
      state.baseUrl,
      projection,
      // A user just created belongs to no group yet: no query needed for `groups` or `roles`.
      status === 201 ? new Map() : undefined,
    );
    setResourceHeaders(reply, state, '/Users', status, user);
    return sendScim(reply, status, body);
  };
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

/** The /Users routes (RFC 7644 §3.3–§3.6). */
export function registerUserRoutes(app: FastifyInstance, services: ScimServices): void {
  registerResourceRoutes(app, services.deps, {
    path: '/Users',
    contextOf: (state) => state.userContext,
    recordOf: (result: WriteResult) => result.user,
    get: getUser,
    create: createUser,
    replace: replaceUser,
    patch: patchUser,
    remove: deleteUser,
    send: sendUser(services),
    sendList: (request, reply, source) => sendList(services, request, reply, source),
  });
}
