import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import type { PageCache } from '../../directory/page-cache.js';
import type { Caller } from '../../directory/users.js';
import { internalError } from '../../scim/errors.js';
import type { ResourceContext } from '../../scim/resource-types.js';
import { SCIM_CONTENT_TYPE } from './media.js';

/** What the SCIM auth hook attaches to each authenticated request. */
export interface ScimRequestState {
  caller: Caller;
  userContext: ResourceContext;
  groupContext: ResourceContext;
  /** The SCIM base URL as the client sees it, e.g. https://acme.example.com/api/v1/auth/scim. */
  baseUrl: string;
  /** Normalisations applied to this request (for the provisioning log). */
  notes: string[];
}

export interface ScimServices {
  deps: Deps;
  pages: PageCache;
}

declare module 'fastify' {
  interface FastifyRequest {
    scim: ScimRequestState | null;
  }
}

/** The authenticated SCIM state; the auth hook guarantees it on every SCIM route. */
export function scimState(request: FastifyRequest): ScimRequestState {
  if (!request.scim) throw internalError('SCIM request state missing');
  return request.scim;
}

const sentBodies = new WeakMap<FastifyRequest, unknown>();

/** The body object last sent with sendScim for a request (the provisioning log keeps it, unparsed). */
export function sentScimBody(request: FastifyRequest): unknown {
  return sentBodies.get(request);
}

/** Records the body a response carries (an object, or JSON text) for the provisioning log. */
export function rememberSentBody(request: FastifyRequest, body: unknown): void {
  sentBodies.set(request, body);
}

/** Sends a SCIM JSON body with the SCIM media type. */
export function sendScim(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  rememberSentBody(reply.request, body);
  // A Buffer keeps the media type exactly `application/scim+json` (Fastify appends a charset to strings).
  return reply
    .code(status)
    .header('content-type', SCIM_CONTENT_TYPE)
    .send(Buffer.from(JSON.stringify(body)));
}

/** The query string as a plain object (Fastify's parsed query). */
export function queryOf(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

export function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
