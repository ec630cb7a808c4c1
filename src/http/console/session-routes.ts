import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { acceptInvite, openInvite } from '../../auth/admins.js';
import {
  CSRF_COOKIE,
  checkCredentials,
  createSignInLimiter,
  endSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  startSession,
} from '../../auth/sessions.js';
import type { Deps } from '../../deps.js';
import type { Admin } from '../../store/admins.js';
import { findWorkspace, type Workspace } from '../../store/workspaces.js';
import { ConsoleError, isHttps, readCookie, session, setCookie } from './context.js';

const pub = { config: { public: true } };

function body(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

function str(v: unknown, name: string, max = 320): string {
  if (typeof v !== 'string' || v.trim() === '')
    throw new ConsoleError(400, 'invalid', `"${name}" is required.`);
  return v.slice(0, max);
}

function meOf(admin: Admin, workspace: Workspace, csrfToken: string, expiresAt: string) {
  return {
    admin: { id: admin.id, email: admin.email, role: admin.role },
    workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name, plan: workspace.plan },
    csrfToken,
    expiresAt,
  };
}

/** Sign-in, sign-out, the current session, and invite acceptance. */
export function registerSessionRoutes(app: FastifyInstance, deps: Deps): void {
  const limiter = createSignInLimiter(deps.clock);

  const signIn = async (request: FastifyRequest, reply: FastifyReply, admin: Admin, workspace: Workspace) => {
    const ua = request.headers['user-agent'];
    const s = await startSession(deps, admin, {
      ip: request.ip,
      userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null,
    });
    const secure = isHttps(request, deps.config.publicUrl);
    const maxAgeSeconds = Math.floor(SESSION_TTL_MS / 1000);
    setCookie(reply, SESSION_COOKIE, s.cookie, { httpOnly: true, secure, maxAgeSeconds });
    // Readable by the page for the double-submit header; useless without the HttpOnly session cookie.
    setCookie(reply, CSRF_COOKIE, s.csrfToken, { httpOnly: false, secure, maxAgeSeconds });
    return meOf(admin, workspace, s.csrfToken, s.expiresAt);
  };

  app.post('/session', pub, async (request, reply) => {
    const b = body(request);
    const email = str(b.email, 'email').trim().toLowerCase();
    const password = str(b.password, 'password', 1024);
    const workspace = typeof b.workspace === 'string' && b.workspace.trim() ? b.workspace.trim() : undefined;
    const key = `${request.ip}|${email}`;
    const wait = limiter.check(key);
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      throw new ConsoleError(
        429,
        'rate_limited',
        `Too many failed attempts. Try again in ${Math.ceil(wait / 60000)} minutes.`,
      );
    }
    const result = await checkCredentials(deps, { email, password, workspace });
    if (!result.ok) {
      if (result.reason === 'choose_workspace') {
        throw new ConsoleError(
          409,
          'choose_workspace',
          'You are an admin of several workspaces; choose one.',
          {
            workspaces: result.workspaces,
          },
        );
      }
      limiter.fail(key);
      throw new ConsoleError(401, 'invalid_credentials', 'The email or password is not correct.');
    }
    limiter.succeed(key);
    const w = await findWorkspace(deps.store.db, { id: result.admin.workspaceId });
    if (!w) throw new ConsoleError(401, 'invalid_credentials', 'The email or password is not correct.');
    return signIn(request, reply, result.admin, w);
  });

  app.delete('/session', async (request, reply) => {
    const cookie = readCookie(request, SESSION_COOKIE);
    if (cookie) await endSession(deps, cookie);
    const secure = isHttps(request, deps.config.publicUrl);
    setCookie(reply, SESSION_COOKIE, '', { httpOnly: true, secure, maxAgeSeconds: 0 });
    setCookie(reply, CSRF_COOKIE, '', { httpOnly: false, secure, maxAgeSeconds: 0 });
    return reply.code(204).send();
  });

  app.get('/me', async (request) => {
    const s = session(request);
    return meOf(s.admin, s.workspace, s.csrfToken, s.expiresAt);
  });

  app.get('/invites/:token', pub, async (request) => {
    const { invite, workspace } = await openInvite(deps, (request.params as { token: string }).token);
    return {
      email: invite.email,
      role: invite.role,
      expiresAt: invite.expiresAt,
      workspace: { slug: workspace.slug, name: workspace.name },
    };
  });

  app.post('/invites/:token/accept', pub, async (request, reply) => {
    const token = (request.params as { token: string }).token;
    const { workspace } = await openInvite(deps, token);
    const admin = await acceptInvite(deps, token, body(request).password, request.ip);
    return signIn(request, reply, admin, workspace);
  });
}
