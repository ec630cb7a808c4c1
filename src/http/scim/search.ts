import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listGroups } from '../../directory/list-groups.js';
import { listUsers } from '../../directory/list-users.js';
import { invalidValue, ScimError } from '../../scim/errors.js';
import type { FilterNode } from '../../scim/filter/ast.js';
import { checkFilter } from '../../scim/filter/check.js';
import { type ListParams, listResponse, readListParams } from '../../scim/list.js';
import { readProjection } from '../../scim/projection.js';
import type { ResourceContext } from '../../scim/resource-types.js';
import { type ScimServices, scimState } from './context.js';
import { groupJson } from './groups.js';
import { SCIM_CONTENT_TYPE } from './media.js';
import { renderUsers } from './users.js';

/**
 * Which resource types a root search covers: each type whose schemas resolve the filter (RFC 7644
 * §3.4.3: a filter naming attributes of one type only applies to that type). When no type resolves
 * it, the filter is wrong for all of them and the first error is the answer.
 */
export function searchTargets(
  filter: FilterNode | undefined,
  contexts: ResourceContext[],
): ResourceContext[] {
  if (!filter) return contexts;
  let firstError: ScimError | undefined;
  const out: ResourceContext[] = [];
  for (const ctx of contexts) {
    try {
      checkFilter(filter, ctx);
      out.push(ctx);
    } catch (e) {
      if (!(e instanceof ScimError)) throw e;
      firstError ??= e;
    }
  }
  if (out.length === 0 && firstError) throw firstError;
  return out;
}

/** POST /.search at the root: Users, then Groups, as one index-paginated list. */
async function rootSearch(services: ScimServices, request: FastifyRequest): Promise<string> {
  const state = scimState(request);
  const { deps } = services;
  const source = (request.body ?? {}) as Record<string, unknown>;
  const params = readListParams(source, deps.config.maxResults);
  // One order across two tables would need a merged sort; the per-type endpoints sort and page by cursor.
  if (params.sortBy !== undefined)
    throw invalidValue('"sortBy" is not supported on a root search; use /Users/.search or /Groups/.search.');
  if (params.cursor !== undefined)
    throw invalidValue('"cursor" is not supported on a root search; use /Users/.search or /Groups/.search.');
  const projection = readProjection(source);
  const targets = searchTargets(params.filter, [state.userContext, state.groupContext]);
  const wantsUsers = targets.includes(state.userContext);
  const wantsGroups = targets.includes(state.groupContext);

  const userPage = wantsUsers
    ? await listUsers(deps, state.caller, params, state.userContext, services.pages)
    : { users: [], totalResults: 0 };
  const remaining = params.count - userPage.users.length;
  const groupParams: ListParams = {
    ...params,
    startIndex: Math.max(1, params.startIndex - userPage.totalResults),
    count: remaining,
  };
  const groupPage = wantsGroups
    ? await listGroups(deps, state.caller, groupParams, state.groupContext, services.pages)
    : { groups: [], totalResults: 0 };

  const users = await renderUsers(
    services,
    state.caller,
    userPage.users,
    state.userContext,
    state.baseUrl,
    projection,
  );
  const pieces: string[] = users.map((u) => JSON.stringify(u));
  const options = { deps, caller: state.caller, ctx: state.groupContext, baseUrl: state.baseUrl, projection };
  for (const g of groupPage.groups) {
    let text = '';
    for await (const piece of groupJson(g, options)) text += piece;
    pieces.push(text);
  }
  const envelope = JSON.stringify({
    ...listResponse([], userPage.totalResults + groupPage.totalResults, params.startIndex),
    itemsPerPage: pieces.length,
  });
  // The envelope ends with `"Resources":[]}`: the rendered resources go between the brackets.
  return `${envelope.slice(0, -2)}${pieces.join(',')}]}`;
}

/** POST /.search (RFC 7644 §3.4.3) at the service provider's root. */
export function registerSearchRoutes(app: FastifyInstance, services: ScimServices): void {
  app.post('/.search', async (request, reply) => {
    const body = await rootSearch(services, request);
    // A Buffer keeps the media type exactly `application/scim+json` (see sendScim).
    return reply.code(200).header('content-type', SCIM_CONTENT_TYPE).send(Buffer.from(body));
  });
}
