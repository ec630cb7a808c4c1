import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminError } from '../../auth/admins.js';
import { CSRF_COOKIE, csrfMatches, resolveSession, SESSION_COOKIE } from '../../auth/sessions.js';
import { TokenError } from '../../auth/tokens.js';
import type { Deps } from '../../deps.js';
import { ScimError } from '../../scim/errors.js';
import { WorkspaceError } from '../../workspaces/workspaces.js';
import { ConsoleError, readCookie } from './context.js';
import { registerDirectoryRoutes } from './directory-routes.js';
import { registerLogRoutes } from './log-routes.js';
import { registerProvisioningRoutes } from './provisioning-routes.js';
import { registerSessionRoutes } from './session-routes.js';
import { registerSettingsRoutes } from './settings-routes.js';
import { registerStatic } from './static.js';
import { registerWebhookRoutes } from './webhook-routes.js';

export const CONSOLE_API_PREFIX = '/console/api';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Any error → `{ error: { code, message } }`; unknown errors are bugs: logged, answered without details. */
function renderError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ConsoleError) {
    return reply
      .code(error.status)
      .send({ error: { code: error.code, message: error.message, ...error.extra } });
  }
  if (error instanceof AdminError) {
    const status =
      error.code === 'not_found' ? 404 : error.code === 'expired' || error.code === 'used' ? 410 : 400;
    return reply.code(status).send({ error: { code: error.code, message: error.message } });
  }
  if (error instanceof ScimError && error.status < 500) {
    return reply
      .code(error.status)
      .send({ error: { code: error.scimType ?? 'invalid', message: error.detail } });
  }
  if (error instanceof WorkspaceError || error instanceof TokenError) {
    return reply.code(400).send({ error: { code: 'invalid', message: error.message } });
  }
  const e = error as FastifyError;
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const message =
      e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'The request body is not valid JSON.' : e.message;
    return reply.code(e.statusCode).send({ error: { code: 'bad_request', message } });
  }
  if (error instanceof SyntaxError)
    return reply
      .code(400)
      .send({ error: { code: 'bad_request', message: 'The request body is not valid JSON.' } });
  request.log.error({ err: error, reqId: request.id }, 'unhandled error in console API');
  return reply
    .code(500)
    .send({ error: { code: 'internal', message: `Internal error; request id ${request.id}.` } });
}

/** The console's JSON API: session cookie auth, CSRF on every state-changing request. */
async function consoleApi(app: FastifyInstance, opts: { deps: Deps }): Promise<void> {
  const { deps } = opts;
  app.decorateRequest('consoleSession', null);
  app.setErrorHandler((error, request, reply) => renderError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: {
        code: 'not_found',
        message: `No console API at ${request.method} ${request.url.split('?')[0]}`,
      },
    }),
  );

  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const unsafe = !SAFE_METHODS.has(request.method);
    // A cross-site page may not drive the API even before sign-in (login CSRF): the Origin, when sent, must be ours.
    const origin = request.headers.origin;
    if (unsafe && origin && origin !== 'null') {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== request.host)
        throw new ConsoleError(403, 'forbidden', 'Cross-origin requests are not allowed.');
    }
    const config = request.routeOptions.config as { public?: boolean };
    request.consoleSession = (await resolveSession(deps, readCookie(request, SESSION_COOKIE))) ?? null;
    if (config.public) {
      // Public writes (sign-in, invite acceptance) must be JSON: an HTML form cannot send that cross-site.
      if (unsafe && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        throw new ConsoleError(415, 'unsupported_media_type', 'Send application/json.');
      }
      return;
    }
    if (!request.consoleSession) throw new ConsoleError(401, 'unauthenticated', 'Sign in to continue.');
    if (unsafe) {
      const sent = request.headers['x-csrf-token'];
      if (!csrfMatches(typeof sent === 'string' ? sent : undefined, request.consoleSession.csrfToken)) {
        throw new ConsoleError(
          403,
          'csrf',
          `Missing or wrong x-csrf-token header (it must match the ${CSRF_COOKIE} cookie).`,
        );
      }
    }
  });

  registerSessionRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerDirectoryRoutes(app, deps);
  registerLogRoutes(app, deps);
  registerProvisioningRoutes(app, deps);
  registerWebhookRoutes(app, deps);
}

/** The admin console: the built single-page app at `/` and its JSON API under /console/api. */
export async function consolePlugin(
  app: FastifyInstance,
  opts: { deps: Deps; dist?: string },
): Promise<void> {
  registerStatic(app, opts.dist);
  await app.register(consoleApi, { prefix: CONSOLE_API_PREFIX, deps: opts.deps });
}
