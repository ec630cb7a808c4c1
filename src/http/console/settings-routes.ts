import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createToken, parseScopes, revokeToken } from '../../auth/tokens.js';
import type { Deps } from '../../deps.js';
import { confirmDeprovisions, guardStatus } from '../../directory/deprovision-guard.js';
import { type ApiToken, listTokens } from '../../store/tokens.js';
import type { Role, Workspace } from '../../store/workspaces.js';
import { scimUnavailableReason, updateWorkspace, type WorkspaceInput } from '../../workspaces/workspaces.js';
import { SCIM_PREFIX } from '../scim/plugin.js';
import { actorOf, badRequest, notFoundError, requireRole } from './context.js';
import { provisioningStatus } from './provisioning-status.js';

const ROLES: Role[] = ['Admin', 'Editor', 'Viewer', 'Guest'];

function body(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

function tokenView(t: ApiToken, now: number) {
  const state = t.revokedAt
    ? 'revoked'
    : t.expiresAt && Date.parse(t.expiresAt) <= now
      ? 'expired'
      : 'active';
  const { workspaceId: _w, ...rest } = t;
  return { ...rest, state };
}

/** The server's own base URL as the browser reached it (PUBLIC_URL wins behind a proxy). */
function sharedBase(deps: Deps, request: FastifyRequest): string {
  return deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

export function workspaceView(w: Workspace) {
  return {
    id: w.id,
    slug: w.slug,
    name: w.name,
    domain: w.domain,
    plan: w.plan,
    scimEnabled: w.scimEnabled,
    settings: { defaultRole: w.settings.defaultRole, deprovisionGuard: w.settings.deprovisionGuard },
    updatedAt: w.updatedAt,
  };
}

/** Settings > API, Settings > SCIM and workspace settings: Admins only. */
export function registerSettingsRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/tokens', async (request) => {
    const s = requireRole(request, 'Admin');
    const now = deps.clock.now().getTime();
    return { tokens: (await listTokens(deps.store.db, s.workspace.id)).map((t) => tokenView(t, now)) };
  });

  app.post('/tokens', async (request, reply) => {
    const s = requireRole(request, 'Admin');
    const b = body(request);
    const name = typeof b.name === 'string' ? b.name.trim().slice(0, 100) : '';
    if (!name) throw badRequest('Give the token a name, e.g. "Okta".');
    const scopes = parseScopes(
      Array.isArray(b.scopes) ? b.scopes.filter((x) => typeof x === 'string').join(',') : undefined,
    );
    let expiresAt: string | null = null;
    if (b.expiresInDays !== undefined && b.expiresInDays !== null && b.expiresInDays !== '') {
      const days = Number(b.expiresInDays);
      if (!Number.isInteger(days) || days < 1 || days > 3650)
        throw badRequest('Expiry must be between 1 and 3650 days.');
      expiresAt = new Date(deps.clock.now().getTime() + days * 86_400_000).toISOString();
    }
    const { token, secret } = await createToken(
      deps,
      s.workspace,
      { name, scopes, expiresAt },
      actorOf(request),
    );
    return reply.code(201).send({ token: tokenView(token, deps.clock.now().getTime()), secret });
  });

  app.delete('/tokens/:id', async (request) => {
    const s = requireRole(request, 'Admin');
    const id = (request.params as { id: string }).id;
    const t = await revokeToken(deps, id, actorOf(request), s.workspace.id);
    if (!t) throw notFoundError('The token');
    return { token: tokenView(t, deps.clock.now().getTime()) };
  });

  app.get('/scim', async (request) => {
    const s = requireRole(request, 'Admin');
    const w = s.workspace; // loaded fresh by the session check of this request
    const status = await provisioningStatus(deps, w.id, deps.clock.now());
    return {
      baseUrls: {
        shared: `${sharedBase(deps, request)}${SCIM_PREFIX}`,
        custom: w.domain ? `https://${w.domain}${SCIM_PREFIX}` : null,
      },
      enabled: w.scimEnabled,
      plan: w.plan,
      available: w.plan === 'enterprise',
      unavailableReason: scimUnavailableReason(w),
      status,
    };
  });

  app.put('/scim', async (request) => {
    const s = requireRole(request, 'Admin');
    const enabled = body(request).enabled;
    if (typeof enabled !== 'boolean') throw badRequest('"enabled" must be true or false.');
    const w = await updateWorkspace(deps, s.workspace.slug, { scim: enabled }, actorOf(request));
    return { enabled: w.scimEnabled, unavailableReason: scimUnavailableReason(w) };
  });

  app.get('/workspace', async (request) => {
    const s = requireRole(request, 'Admin');
    const w = s.workspace; // loaded fresh by the session check of this request
    return { workspace: workspaceView(w), guard: await guardStatus(deps, w) };
  });

  // An Admin confirms the deprovisioning the guard held back; the identity provider's retries then go through.
  app.post('/workspace/guard/confirm', async (request) => {
    const s = requireRole(request, 'Admin');
    const w = s.workspace; // loaded fresh by the session check of this request
    return { guard: await confirmDeprovisions(deps, w, actorOf(request)) };
  });

  app.patch('/workspace', async (request) => {
    const s = requireRole(request, 'Admin');
    const b = body(request);
    const input: WorkspaceInput = {};
    if (b.name !== undefined) {
      if (typeof b.name !== 'string' || !b.name.trim()) throw badRequest('The name cannot be empty.');
      input.name = b.name.slice(0, 200);
    }
    if (b.domain !== undefined) {
      if (b.domain !== null && typeof b.domain !== 'string')
        throw badRequest('The custom domain must be a host name.');
      input.domain = b.domain === null ? null : b.domain.trim();
    }
    const settings: NonNullable<WorkspaceInput['settings']> = {};
    if (b.defaultRole !== undefined) {
      if (!ROLES.includes(b.defaultRole as Role))
        throw badRequest(`The default role must be one of ${ROLES.join(', ')}.`);
      settings.defaultRole = b.defaultRole as Role;
    }
    const g = b.deprovisionGuard as Record<string, unknown> | undefined;
    if (g !== undefined) {
      const threshold = Number(g?.threshold);
      const windowMinutes = Number(g?.windowMinutes);
      if (typeof g?.enabled !== 'boolean') throw badRequest('The guard must be switched on or off.');
      if (!Number.isInteger(threshold) || threshold < 1 || threshold > 1_000_000)
        throw badRequest('The threshold must be a whole number of at least 1.');
      if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 10_080) {
        throw badRequest('The window must be between 1 minute and 7 days.');
      }
      settings.deprovisionGuard = { enabled: g.enabled, threshold, windowMinutes };
    }
    if (Object.keys(settings).length > 0) input.settings = settings;
    const w = await updateWorkspace(deps, s.workspace.slug, input, actorOf(request));
    return { workspace: workspaceView(w) };
  });
}
