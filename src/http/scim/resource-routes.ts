import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import type { Caller } from '../../directory/users.js';
import { matchesIfNoneMatch } from '../../scim/etag.js';
import { etagOf } from '../../scim/render.js';
import type { ResourceContext } from '../../scim/resource-types.js';
import { header, queryOf, type ScimRequestState, scimState } from './context.js';

/** What every stored SCIM resource has: the id in its URL and the version behind its ETag. */
export interface VersionedRecord {
  id: string;
  version: number;
}

/** Answers a request with one resource; `status` 201 also sets Location. */
export type SendOne<R> = (
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  record: R,
) => Promise<FastifyReply>;

/**
 * What differs between the /Users and /Groups routes: the use cases, how a result carries its
 * record, and how a resource or a page is rendered. The routes themselves (RFC 7644 §3.3–§3.6) are
 * the same for both, so they are registered once, in registerResourceRoutes.
 */
export interface ResourceRoutes<R extends VersionedRecord, W extends { notes: string[] }> {
  /** '/Users' or '/Groups'. */
  path: string;
  contextOf(state: ScimRequestState): ResourceContext;
  recordOf(result: W): R;
  get(deps: Deps, caller: Caller, id: string): Promise<R>;
  create(deps: Deps, caller: Caller, body: unknown, ctx: ResourceContext): Promise<W>;
  replace(
    deps: Deps,
    caller: Caller,
    id: string,
    body: unknown,
    ctx: ResourceContext,
    ifMatch?: string,
  ): Promise<W>;
  patch(
    deps: Deps,
    caller: Caller,
    id: string,
    body: unknown,
    ctx: ResourceContext,
    ifMatch?: string,
  ): Promise<W>;
  remove(deps: Deps, caller: Caller, id: string, ifMatch?: string): Promise<void>;
  send: SendOne<R>;
  /** GET list and POST .search: `source` is the query string or the search body. */
  sendList(
    request: FastifyRequest,
    reply: FastifyReply,
    source: Record<string, unknown>,
  ): Promise<FastifyReply>;
  /**
   * How a PATCH is answered (default: the resource, 200). Called before the write, so a resource
   * that reads the query here rejects a malformed one with a 400 before anything is written.
   */
  patchAnswer?(request: FastifyRequest): (reply: FastifyReply, record: R) => Promise<FastifyReply>;
}

/** The ETag of a sent resource, and for a 201 its Location (RFC 7644 §3.3). */
export function setResourceHeaders(
  reply: FastifyReply,
  state: ScimRequestState,
  path: string,
  status: number,
  record: VersionedRecord,
): void {
  reply.header('ETag', etagOf(record.version));
  if (status === 201) reply.header('Location', `${state.baseUrl}${path}/${record.id}`);
}

type IdParams = { Params: { id: string } };

/** Registers POST, GET (list), POST .search, and GET/PUT/PATCH/DELETE by id for one resource type. */
export function registerResourceRoutes<R extends VersionedRecord, W extends { notes: string[] }>(
  app: FastifyInstance,
  deps: Deps,
  routes: ResourceRoutes<R, W>,
): void {
  const { path } = routes;
  const byId = `${path}/:id`;

  app.post(path, async (request, reply) => {
    const state = scimState(request);
    const result = await routes.create(deps, state.caller, request.body, routes.contextOf(state));
    state.notes.push(...result.notes);
    return routes.send(request, reply, 201, routes.recordOf(result));
  });

  app.get(path, async (request, reply) => routes.sendList(request, reply, queryOf(request)));

  app.post(`${path}/.search`, async (request, reply) =>
    routes.sendList(request, reply, (request.body ?? {}) as Record<string, unknown>),
  );

  app.get<IdParams>(byId, async (request, reply) => {
    const state = scimState(request);
    const record = await routes.get(deps, state.caller, request.params.id);
    if (matchesIfNoneMatch(header(request, 'if-none-match'), record.version)) {
      return reply.code(304).header('ETag', etagOf(record.version)).send();
    }
    return routes.send(request, reply, 200, record);
  });

  app.put<IdParams>(byId, async (request, reply) => {
    const state = scimState(request);
    const { id } = request.params;
    const ctx = routes.contextOf(state);
    const result = await routes.replace(
      deps,
      state.caller,
      id,
      request.body,
      ctx,
      header(request, 'if-match'),
    );
    state.notes.push(...result.notes);
    return routes.send(request, reply, 200, routes.recordOf(result));
  });

  app.patch<IdParams>(byId, async (request, reply) => {
    const state = scimState(request);
    const answer = routes.patchAnswer?.(request);
    const { id } = request.params;
    const ctx = routes.contextOf(state);
    const result = await routes.patch(deps, state.caller, id, request.body, ctx, header(request, 'if-match'));
    state.notes.push(...result.notes);
    const record = routes.recordOf(result);
    return answer ? answer(reply, record) : routes.send(request, reply, 200, record);
  });

  app.delete<IdParams>(byId, async (request, reply) => {
    const state = scimState(request);
    await routes.remove(deps, state.caller, request.params.id, header(request, 'if-match'));
    return reply.code(204).send();
  });
}
