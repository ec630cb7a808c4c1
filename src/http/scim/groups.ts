import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import { createGroup, deleteGroup, getGroup, patchGroup, replaceGroup } from '../../directory/groups.js';
import { listGroups } from '../../directory/list-groups.js';
import type { Caller } from '../../directory/users.js';
import { matchesIfNoneMatch } from '../../scim/etag.js';
import { listResponse, readListParams } from '../../scim/list.js';
import { type Projection, projectResource, readProjection, wantsAttribute } from '../../scim/projection.js';
import { etagOf, renderResource } from '../../scim/render.js';
import type { ResourceContext } from '../../scim/resource-types.js';
import type { GroupRecord } from '../../store/groups.js';
import { type MemberRow, pageMembers } from '../../store/memberships.js';
import { header, queryOf, type ScimServices, scimState } from './context.js';
import { SCIM_CONTENT_TYPE } from './media.js';

/** Member rows fetched per query while streaming a group: memory stays bounded whatever the group's size. */
export const MEMBER_PAGE = 5_000;

export interface RenderOptions {
  deps: Deps;
  caller: Caller;
  ctx: ResourceContext;
  baseUrl: string;
  projection: Projection;
}

/** Which member sub-attributes the projection keeps (`attributes=members.value` keeps only value). */
function memberKeys(o: RenderOptions): string[] {
  const sample = { value: 'v', $ref: 'r', display: 'd', type: 't' };
  const projected = projectResource({ members: [sample] }, o.projection, o.ctx).members;
  const first = Array.isArray(projected) ? (projected[0] as Record<string, unknown> | undefined) : undefined;
  return first ? Object.keys(first) : Object.keys(sample);
}

function memberJson(m: MemberRow, keys: string[], baseUrl: string): string {
  const full: Record<string, unknown> = {
    value: m.id,
    $ref: `${baseUrl}/${m.type === 'Group' ? 'Groups' : 'Users'}/${m.id}`,
    display: m.display ?? undefined,
    type: m.type,
  };
  const out: Record<string, unknown> = {};
  for (const k of keys) if (full[k] !== undefined) out[k] = full[k];
  return JSON.stringify(out);
}

/**
 * The JSON text of one group, in pieces: the group's own attributes, then its members paged from the
 * database MEMBER_PAGE rows at a time (keyset on the membership key), then `meta`. With members not
 * requested (e.g. excludedAttributes=members) or an empty group, no member query runs at all.
 */
export async function* groupJson(g: GroupRecord, o: RenderOptions): AsyncGenerator<string> {
  const projected = projectResource(renderResource(g, o.ctx, o.baseUrl), o.projection, o.ctx);
  const { meta, ...own } = projected;
  const head = JSON.stringify(own).slice(0, -1);
  const tail = meta === undefined ? '}' : `,"meta":${JSON.stringify(meta)}}`;
  if (g.memberCount <= 0 || !wantsAttribute(o.projection, o.ctx, 'members')) {
    yield head + tail;
    return;
  }
  const keys = memberKeys(o);
  const db = o.deps.store.db;
  let after: string | undefined;
  let first = true;
  for (;;) {
    const rows = await pageMembers(db, o.caller.workspace.id, g.id, after, MEMBER_PAGE);
    if (rows.length === 0) break;
    const text = rows.map((m) => memberJson(m, keys, o.baseUrl)).join(',');
    yield first ? `${head},"members":[${text}` : `,${text}`;
    first = false;
    after = rows.at(-1)?.id;
    if (rows.length < MEMBER_PAGE) break;
  }
  yield first ? head + tail : `]${tail}`;
}

/** Turns the pieces into a response body: a string when it fits in one piece, else a stream. */
async function bodyOf(pieces: AsyncGenerator<string>): Promise<string | Readable> {
  const firstPiece = await pieces.next();
  const secondPiece = firstPiece.done ? firstPiece : await pieces.next();
  if (secondPiece.done) return firstPiece.done ? '' : firstPiece.value;
  // The first two pieces are read before the headers go out, so a failing first query is still a SCIM error.
  async function* rest(): AsyncGenerator<string> {
    if (!firstPiece.done) yield firstPiece.value;
    if (!secondPiece.done) yield secondPiece.value;
    yield* pieces;
  }
  return Readable.from(rest());
}

async function sendGroup(
  services: ScimServices,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  group: GroupRecord,
  projection: Projection = readProjection(queryOf(request)),
): Promise<FastifyReply> {
  const state = scimState(request);
  const options: RenderOptions = {
    deps: services.deps,
    caller: state.caller,
    ctx: state.groupContext,
    baseUrl: state.baseUrl,
    projection,
  };
  reply.header('ETag', etagOf(group.version));
  if (status === 201) reply.header('Location', `${state.baseUrl}/Groups/${group.id}`);
  const body = await bodyOf(groupJson(group, options));
  return reply.code(status).header('content-type', SCIM_CONTENT_TYPE).send(body);
}

async function* listJson(head: string, groups: GroupRecord[], o: RenderOptions): AsyncGenerator<string> {
  yield head;
  for (const [i, g] of groups.entries()) {
    if (i > 0) yield ',';
    yield* groupJson(g, o);
  }
  yield ']}';
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
  const options: RenderOptions = {
    deps,
    caller: state.caller,
    ctx: state.groupContext,
    baseUrl: state.baseUrl,
    projection: readProjection(source),
  };
  const page = await listGroups(deps, state.caller, params, state.groupContext, services.pages);
  // The envelope with an empty Resources array, opened so the groups can be streamed into it.
  const envelope = JSON.stringify({
    ...listResponse([], page.totalResults, page.startIndex, page),
    itemsPerPage: page.groups.length,
  });
  const head = envelope.slice(0, -2);
  const body = await bodyOf(listJson(head, page.groups, options));
  return reply.code(200).header('content-type', SCIM_CONTENT_TYPE).send(body);
}

type IdParams = { Params: { id: string } };

/**
 * The projection of a PATCH response, or undefined for 204 (RFC 7644 §3.5.2: the server may answer
 * 204 unless the client asked for attributes). Members are returned only when named in `attributes`.
 */
function patchProjection(request: FastifyRequest): Projection | undefined {
  const p = readProjection(queryOf(request));
  if (p.attributes !== undefined) return p;
  if (p.excludedAttributes !== undefined) return { excludedAttributes: [...p.excludedAttributes, 'members'] };
  return undefined;
}

/** The /Groups routes (RFC 7644 §3.3–§3.6). */
export function registerGroupRoutes(app: FastifyInstance, services: ScimServices): void {
  const { deps } = services;

  app.post('/Groups', async (request, reply) => {
    const state = scimState(request);
    const result = await createGroup(deps, state.caller, request.body, state.groupContext);
    state.notes.push(...result.notes);
    return sendGroup(services, request, reply, 201, result.group);
  });

  app.get('/Groups', async (request, reply) => sendList(services, request, reply, queryOf(request)));

  app.post('/Groups/.search', async (request, reply) =>
    sendList(services, request, reply, (request.body ?? {}) as Record<string, unknown>),
  );

  app.get<IdParams>('/Groups/:id', async (request, reply) => {
    const state = scimState(request);
    const group = await getGroup(deps, state.caller, request.params.id);
    if (matchesIfNoneMatch(header(request, 'if-none-match'), group.version)) {
      return reply.code(304).header('ETag', etagOf(group.version)).send();
    }
    return sendGroup(services, request, reply, 200, group);
  });

  app.put<IdParams>('/Groups/:id', async (request, reply) => {
    const state = scimState(request);
    const result = await replaceGroup(
      deps,
      state.caller,
      request.params.id,
      request.body,
      state.groupContext,
      header(request, 'if-match'),
    );
    state.notes.push(...result.notes);
    return sendGroup(services, request, reply, 200, result.group);
  });

  app.patch<IdParams>('/Groups/:id', async (request, reply) => {
    const state = scimState(request);
    // Read the projection first: a malformed one is a 400 before anything is written.
    const projection = patchProjection(request);
    const result = await patchGroup(
      deps,
      state.caller,
      request.params.id,
      request.body,
      state.groupContext,
      header(request, 'if-match'),
    );
    state.notes.push(...result.notes);
    // Entra: "returning a body with a list of all the members isn't advisable" — 204 unless asked.
    if (!projection) return reply.code(204).header('ETag', etagOf(result.group.version)).send();
    return sendGroup(services, request, reply, 200, result.group, projection);
  });

  app.delete<IdParams>('/Groups/:id', async (request, reply) => {
    const state = scimState(request);
    await deleteGroup(deps, state.caller, request.params.id, header(request, 'if-match'));
    return reply.code(204).send();
  });
}
