import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignedIn } from '../../auth/sessions.js';
import type { Actor } from '../../events/append.js';
import type { AdminRole } from '../../store/admins.js';

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession: SignedIn | null;
  }
}

/** A console API error: rendered as `{ error: { code, message } }` with its status. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFoundError = (what: string) => new ConsoleError(404, 'not_found', `${what} was not found.`);
export const badRequest = (message: string) => new ConsoleError(400, 'invalid', message);

/** The signed-in admin; the auth hook guarantees it on every private route. */
export function session(request: FastifyRequest): SignedIn {
  if (!request.consoleSession) throw new ConsoleError(401, 'unauthenticated', 'Sign in to continue.');
  return request.consoleSession;
}

const rank: Record<AdminRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };

/** The signed-in admin, when their role is at least `role` (settings need Admin). */
export function requireRole(request: FastifyRequest, role: AdminRole): SignedIn {
  const s = session(request);
  if (rank[s.admin.role] < rank[role]) {
    throw new ConsoleError(
      403,
      'forbidden',
      `Only workspace ${role}s can do this; you are signed in as ${s.admin.role}.`,
    );
  }
  return s;
}

/** The audit-log actor for a console request. */
export function actorOf(request: FastifyRequest): Actor {
  const s = session(request);
  const ua = request.headers['user-agent'];
  return { type: 'admin', id: s.admin.id, ip: request.ip, userAgent: typeof ua === 'string' ? ua : null };
}

/** Reads one cookie from the Cookie header (RFC 6265 §5.4). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const raw = request.headers.cookie;
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      return undefined; // a malformed cookie is no cookie, not a 500
    }
  }
  return undefined;
}

/** Whether the browser reached us over TLS (directly, or via a trusted proxy's X-Forwarded-Proto). */
export function isHttps(request: FastifyRequest, publicUrl: string | null): boolean {
  return request.protocol === 'https' || (publicUrl?.startsWith('https://') ?? false);
}

/** Sets a cookie: HttpOnly unless the page must read it, SameSite=Lax, Secure over TLS. */
export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  opts: { httpOnly: boolean; secure: boolean; maxAgeSeconds: number },
): void {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'SameSite=Lax',
    `Max-Age=${opts.maxAgeSeconds}`,
  ];
  if (opts.httpOnly) parts.push('HttpOnly');
  if (opts.secure) parts.push('Secure');
  const prev = reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev.map(String) : prev ? [String(prev)] : [];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}

/** A query-string parameter as a trimmed string, or undefined when absent or empty. */
export function param(query: unknown, name: string): string | undefined {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t.slice(0, 500);
}

/** A page size from the query string, clamped to 1..max. */
export function limitParam(query: unknown, fallback = 50, max = 200): number {
  const n = Number(param(query, 'limit') ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

/** Which identity provider a SCIM client is, from its User-Agent. */
export function providerFromUserAgent(ua: string | null | undefined): string | null {
  if (!ua) return null;
  const rules: [RegExp, string][] = [
    [/okta/i, 'Okta'],
    [/azure|microsoft|entra/i, 'Microsoft Entra ID'],
    [/onelogin/i, 'OneLogin'],
    [/jumpcloud/i, 'JumpCloud'],
    [/google/i, 'Google Workspace'],
    [/ping/i, 'Ping Identity'],
    [/rippling/i, 'Rippling'],
    [/authentik/i, 'authentik'],
    [/keycloak/i, 'Keycloak'],
  ];
  for (const [re, name] of rules) if (re.test(ua)) return name;
  return `Other (${ua.slice(0, 60)})`;
}
