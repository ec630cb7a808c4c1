import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import { sql } from 'kysely';
import type { Deps } from './deps.js';
import { createPageCache } from './directory/page-cache.js';
import { API_PREFIX, apiPlugin } from './http/api/plugin.js';
import { consolePlugin } from './http/console/plugin.js';
import { createDomainResolver } from './http/middleware/domains.js';
import { SCIM_PREFIX, scimPlugin, sendScimError } from './http/scim/plugin.js';
import { invalidSyntax, notFound } from './scim/errors.js';

/** Parses a JSON body; an empty body is "no body" (some clients send a content type on DELETE). */
function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  return JSON.parse(body);
}

/** Builds the HTTP application: routes and error handlers, no I/O of its own. */
export function createApp(deps: Deps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimit,
    // Some clients lower-case resource paths (/users); SCIM names are case-insensitive anyway.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Per-request logging is off: the provisioning log records SCIM traffic, errors are logged once.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: process.env.TRUST_PROXY === '1' || process.env.TRUST_PROXY === 'true',
    requestIdHeader: 'x-request-id',
    // URL-level errors (a malformed URL, an id past the router's limit) happen before any route:
    // answer them in the shape of the endpoint that was asked for.
    frameworkErrors: (error, request, reply) => {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 404 : 400;
      const message = status === 404 ? 'No resource has an id that long.' : 'The request URL is malformed.';
      if (request.url.startsWith(SCIM_PREFIX)) {
        return sendScimError(
          reply as unknown as FastifyReply,
          status === 404 ? notFound(message) : invalidSyntax(message),
        );
      }
      const body = { error: { code: status === 404 ? 'not_found' : 'bad_request', message } };
      return (reply as unknown as FastifyReply).code(status).send(body);
    },
  });

  // Accept application/scim+json, application/json, any other +json, or no content type at all.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  const parser = (
    _req: unknown,
    body: string | Buffer,
    done: (err: Error | null, body?: unknown) => void,
  ) => {
    try {
      done(null, parseJsonBody(body.toString()));
    } catch (e) {
      done(e as Error, undefined);
    }
  };
  app.addContentTypeParser(['application/json', 'application/scim+json'], { parseAs: 'string' }, parser);
  app.addContentTypeParser(/^application\/[\w.-]+\+json$/, { parseAs: 'string' }, parser);
  app.addContentTypeParser('*', { parseAs: 'string' }, parser);
  app.decorateRequest('scim', null);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.store.db);
      return { status: 'ok', database: deps.store.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: deps.store.engine });
    }
  });

  const domains = createDomainResolver(deps);
  app.register(scimPlugin, { prefix: SCIM_PREFIX, deps, pages: createPageCache(), domains });
  // The REST API at /api/v1; the SCIM plugin's more specific /api/v1/auth/scim routes (and its 404) win.
  app.register(apiPlugin, { prefix: API_PREFIX, deps });
  app.register(consolePlugin, { deps });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` },
    }),
  );
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: 'bad_request', message: (error as Error).message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: `Internal error; request id ${request.id}` } });
  });
  return app;
}
