import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../../auth/tokens.js';
import {
  forbidden,
  internalError,
  invalidSyntax,
  notFound,
  notImplemented,
  payloadTooLarge,
  ScimError,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
} from '../../scim/errors.js';
import { createExtensionCache } from '../../workspaces/extensions.js';
import { scimUnavailableReason } from '../../workspaces/workspaces.js';
import type { DomainResolver } from '../middleware/domains.js';
import { createRateLimiter, FAILED_AUTH_RPS } from '../middleware/rate-limit.js';
import { registerBulkRoutes } from './bulk.js';
import { header, type ScimServices, sendScim } from './context.js';
import { registerDiscoveryRoutes } from './discovery.js';
import { registerGroupRoutes } from './groups.js';
import { installProvisioningLog } from './provisioning-log-hook.js';
import { registerSearchRoutes } from './search.js';
import { registerUserRoutes } from './users.js';

export const SCIM_PREFIX = '/api/v1/auth/scim';

/** Maps any error to the RFC 7644 §3.12 error; unknown errors are bugs: logged, answered as a bare 500. */
export function toScimError(error: unknown, request: FastifyRequest): ScimError {
  if (error instanceof ScimError) return error;
  const e = error as FastifyError;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    switch (e.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return invalidSyntax('The request body is not valid JSON.');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return payloadTooLarge('The request body is larger than the server accepts.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return unsupportedMediaType('Send application/scim+json or application/json.');
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      return new ScimError(e.statusCode, e.statusCode === 400 ? 'invalidSyntax' : undefined, e.message);
    }
  }
  if (error instanceof SyntaxError) return invalidSyntax('The request body is not valid JSON.');
  request.log.error({ err: error, reqId: request.id }, 'unhandled error on SCIM endpoint');
  return internalError(`Internal error; request id ${request.id}.`);
}

export function sendScimError(reply: FastifyReply, error: ScimError): FastifyReply {
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  return sendScim(reply, error.status, error.toJSON());
}

function bearer(request: FastifyRequest): string | undefined {
  const raw = header(request, 'authorization');
  if (!raw) return undefined;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(raw);
  return m?.[1];
}

/** The SCIM endpoint: bearer auth → workspace, then the resource routes. */
export async function scimPlugin(
  app: FastifyInstance,
  opts: ScimServices & { domains: DomainResolver },
): Promise<void> {
  const { deps, domains } = opts;
  const limiter = createRateLimiter(deps.config.rateLimitRps);
  // Failed authentications are limited per client address, so guessing tokens costs the guesser.
  const failures = createRateLimiter(deps.config.rateLimitRps > 0 ? FAILED_AUTH_RPS : 0);
  // Custom schema extensions: no query while the workspace is unchanged (see createExtensionCache).
  const extensions = createExtensionCache();

  app.setErrorHandler((error, request, reply) => sendScimError(reply, toScimError(error, request)));
  app.setNotFoundHandler((request, reply) =>
    sendScimError(reply, notFound(`No SCIM endpoint at ${request.method} ${request.url.split('?')[0]}.`)),
  );

  app.addHook('onRequest', async (request) => {
    request.scim = null;
    const nowMs = deps.clock.now().getTime();
    const blocked = failures.peek(request.ip, nowMs);
    if (blocked > 0)
      throw tooManyRequests('Too many failed authentication attempts from this address.', blocked);
    const secret = bearer(request);
    if (!secret) throw unauthorized('Authentication required: send "Authorization: Bearer <API token>".');
    const auth = await authenticate(deps, secret);
    if (!auth.ok) {
      failures.take(request.ip, nowMs);
      throw unauthorized(auth.reason);
    }
    if (!auth.token.scopes.includes('scim'))
      throw forbidden('This API token does not have the "scim" scope.');
    // A workspace's custom domain only serves that workspace: another workspace's token is refused.
    const host = (request.host ?? '').toLowerCase().replace(/:\d+$/, '');
    const hostWorkspace = await domains.workspaceIdFor(host);
    if (hostWorkspace !== undefined && hostWorkspace !== auth.workspace.id) {
      throw unauthorized('This API token does not belong to the workspace served on this domain.');
    }
    const wait = limiter.take(auth.token.id, deps.clock.now().getTime());
    if (wait > 0)
      throw tooManyRequests(`Rate limit of ${deps.config.rateLimitRps} requests per second exceeded.`, wait);
    const reason = scimUnavailableReason(auth.workspace);
    if (reason) throw forbidden(reason);
    const base = deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
    const contexts = await extensions.contexts(deps, auth.workspace);
    request.scim = {
      caller: {
        workspace: auth.workspace,
        actor: {
          type: 'token',
          id: auth.token.id,
          ip: request.ip,
          userAgent: header(request, 'user-agent') ?? null,
          positions: [],
        },
      },
      userContext: contexts.user,
      groupContext: contexts.group,
      baseUrl: `${base}${SCIM_PREFIX}`,
      notes: [],
    };
  });

  installProvisioningLog(app, deps);
  registerUserRoutes(app, opts);
  registerGroupRoutes(app, opts);
  registerDiscoveryRoutes(app, opts);
  registerBulkRoutes(app, opts);
  registerSearchRoutes(app, opts);

  // RFC 7644 §3.11: /Me needs a token that is a user; Rollcall's tokens belong to workspaces.
  app.all('/Me', async () => {
    throw notImplemented('/Me is not supported: API tokens belong to a workspace, not to a user.');
  });
  app.all('/Me/*', async () => {
    throw notImplemented('/Me is not supported: API tokens belong to a workspace, not to a user.');
  });
}
