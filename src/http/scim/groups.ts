import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import {
  createGroup,
  deleteGroup,
  type GroupWriteResult,
  getGroup,
  patchGroup,
  replaceGroup,
} from '../../directory/groups.js';
import { listGroups } from '../../directory/list-groups.js';
import type { Caller } from '../../directory/users.js';
import { listResponse, readListParams } from '../../scim/list.js';
import { type Projection, projectResource, readProjection, wantsAttribute } from '../../scim/projection.js';
import { etagOf, renderResource } from '../../scim/render.js';
import type { ResourceContext } from '../../scim/resource-types.js';
import type { GroupRecord } from '../../store/groups.js';
import { type MemberRow, pageMembers } from '../../store/memberships.js';
import { queryOf, rememberSentBody, type ScimServices, scimState } from './context.js';
import { SCIM_CONTENT_TYPE } from './media.js';
import { registerResourceRoutes, setResourceHeaders } from './resource-routes.js';

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
  setResourceHeaders(reply, state, '/Groups', status, group);
  const body = await bodyOf(groupJson(group, options));
  // A group that fits in one piece is logged like any resource; a streamed one is not kept.
  if (typeof body === 'string') rememberSentBody(request, body);
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
  registerResourceRoutes(app, services.deps, {
    path: '/Groups',
    contextOf: (state) => state.groupContext,
    recordOf: (result: GroupWriteResult) => result.group,
    get: getGroup,
    create: createGroup,
    replace: replaceGroup,
    patch: patchGroup,
    remove: deleteGroup,
    send: (request, reply, status, group) => sendGroup(services, request, reply, status, group),
    sendList: (request, reply, source) => sendList(services, request, reply, source),
    patchAnswer: (request) => {
      // Read the projection first: a malformed one is a 400 before anything is written.
      const projection = patchProjection(request);
      // Entra: "returning a body with a list of all the members isn't advisable" — 204 unless asked.
      return async (reply, group) =>
        projection
          ? sendGroup(services, request, reply, 200, group, projection)
          : reply.code(204).header('ETag', etagOf(group.version)).send();
    },
  });
}
