import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../../auth/tokens.js';
import type { Deps } from '../../deps.js';
import { ScimError } from '../../scim/errors.js';
import { createRateLimiter, FAILED_AUTH_RPS } from '../middleware/rate-limit.js';
import { registerAdminRoutes } from './admin.js';
import { registerDirectoryRoutes } from './directory.js';
import { registerLogRoutes } from './logs.js';
import { buildOpenApi } from './openapi.js';
import { ApiError, type ApiRouteSpec, type ApiServices, apiErrors } from './route.js';

export const API_PREFIX = '/api/v1';

const codeByStatus: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Any error as the REST API's one error shape; unknown errors are bugs: logged, answered as a bare 500. */
function toApiError(error: unknown, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  // Use cases shared with SCIM throw ScimError (e.g. setGroupRole's not found).
  if (error instanceof ScimError)
    return new ApiError(error.status, codeByStatus[error.status] ?? 'error', error.message);
  const e = error as FastifyError;
  if (e?.validation) return apiErrors.badRequest(e.message);
  if (e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError(e.statusCode, codeByStatus[e.statusCode] ?? 'invalid_request', e.message);
  }
  request.log.error({ err: error, reqId: request.id }, 'unhandled error on REST API');
  return new ApiError(500, 'internal', `Internal error; request id ${request.id}.`);
}

function send(reply: FastifyReply, e: ApiError): FastifyReply {
  return reply
    .code(e.status)
    .type('application/json')
    .send({ error: { code: e.code, message: e.message } });
}

function bearer(request: FastifyRequest): string | undefined {
  const raw = request.headers.authorization;
  const m = raw ? /^\s*bearer\s+(\S+)\s*$/i.exec(raw) : null;
  return m?.[1];
}

/** The REST API under /api/v1 (the SCIM plugin at /api/v1/auth/scim keeps its own auth and errors). */
export async function apiPlugin(app: FastifyInstance, opts: { deps: Deps }): Promise<void> {
  const { deps } = opts;
  const services: ApiServices = { deps, routes: [] };
  const limiter = createRateLimiter(deps.config.rateLimitRps);
  // Failed authentications are limited per client address (see the SCIM plugin).
  const failures = createRateLimiter(deps.config.rateLimitRps > 0 ? FAILED_AUTH_RPS : 0);
  let openApi: unknown;

  app.decorateRequest('api', null);
  app.setErrorHandler((error, request, reply) => send(reply, toApiError(error, request)));
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      new ApiError(404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );

  app.addHook('onRequest', async (request) => {
    request.api = null;
    const config = request.routeOptions.config as { scope?: ApiRouteSpec['scope']; public?: boolean };
    if (config.public) return;
    const nowMs = deps.clock.now().getTime();
    const blocked = failures.peek(request.ip, nowMs);
    if (blocked > 0)
      throw new ApiError(429, 'rate_limited', 'Too many failed authentication attempts from this address.');
    const secret = bearer(request);
    if (!secret)
      throw apiErrors.unauthorized('Authentication required: send "Authorization: Bearer <API token>".');
    const auth = await authenticate(deps, secret);
    if (!auth.ok) {
      failures.take(request.ip, nowMs);
      throw apiErrors.unauthorized(auth.reason);
    }
    const scopes = auth.token.scopes;
    // api:write implies api:read; a scim-only token has no access to the REST API at all.
    const need = config.scope ?? 'api:read';
    const allowed =
      need === 'api:read'
        ? scopes.includes('api:read') || scopes.includes('api:write')
        : scopes.includes('api:write');
    if (!allowed) throw apiErrors.forbidden(`This API token does not have the "${need}" scope.`);
    const wait = limiter.take(auth.token.id, deps.clock.now().getTime());
    if (wait > 0) {
      throw new ApiError(
        429,
        'rate_limited',
        `Rate limit of ${deps.config.rateLimitRps} requests per second exceeded.`,
      );
    }
    request.api = {
      workspace: auth.workspace,
      token: auth.token,
      actor: {
        type: 'token',
        id: auth.token.id,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      },
    };
  });

  registerDirectoryRoutes(app, services);
  registerAdminRoutes(app, services);
  registerLogRoutes(app, services);

  app.get('/openapi.json', { config: { public: true } }, async () => {
    openApi ??= buildOpenApi(services.routes, API_PREFIX);
    return openApi;
  });
}
