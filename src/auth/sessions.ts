import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../deps.js';
import { appendEvents } from '../events/append.js';
import type { Clock } from '../lib/clock.js';
import {
  type Admin,
  deleteSession,
  findAdmin,
  findAdminsByEmail,
  findSession,
  insertSession,
  touchAdminSignIn,
} from '../store/admins.js';
import { findWorkspace, type Workspace } from '../store/workspaces.js';
import { DUMMY_PASSWORD_HASH, hashSecret, verifyPassword } from './admins.js';

export const SESSION_COOKIE = 'rc_session';
export const CSRF_COOKIE = 'rc_csrf';
/** Sessions last 12 hours from sign-in (a working day); then the admin signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  admin: Admin;
  workspace: Workspace;
  csrfToken: string;
  expiresAt: string;
}

/** Opens a session for an admin; returns the cookie value (shown to the browser only) and the CSRF token. */
export async function startSession(
  deps: Deps,
  admin: Admin,
  client: Client,
): Promise<{ cookie: string; csrfToken: string; expiresAt: string }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    await insertSession(
      trx,
      hashSecret(cookie),
      { workspaceId: admin.workspaceId, adminId: admin.id, csrfToken, createdAt, expiresAt },
      client,
    );
    await touchAdminSignIn(trx, admin.workspaceId, admin.id, createdAt);
    await appendEvents(
      trx,
      admin.workspaceId,
      { type: 'admin', id: admin.id, ip: client.ip, userAgent: client.userAgent },
      [
        {
          type: 'admin.signed_in',
          resourceType: 'Admin',
          resourceId: admin.id,
          data: { email: admin.email },
        },
      ],
      createdAt,
    );
  });
  return { cookie, csrfToken, expiresAt };
}

/** The admin behind a session cookie, when the session is live and the account still exists. */
export async function resolveSession(deps: Deps, cookie: string | undefined): Promise<SignedIn | undefined> {
  if (!cookie || cookie.length > 100) return undefined;
  const session = await findSession(deps.store.db, hashSecret(cookie));
  if (!session || Date.parse(session.expiresAt) <= deps.clock.now().getTime()) return undefined;
  const admin = await findAdmin(deps.store.db, session.workspaceId, session.adminId);
  if (!admin) return undefined;
  const workspace = await findWorkspace(deps.store.db, { id: session.workspaceId });
  if (!workspace) return undefined;
  return { admin, workspace, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
}

/** Ends a session (sign out). */
export async function endSession(deps: Deps, cookie: string): Promise<void> {
  await deleteSession(deps.store.db, hashSecret(cookie));
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type SignInResult =
  | { ok: true; admin: Admin }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'choose_workspace'; workspaces: { slug: string; name: string }[] };

/**
 * Checks an email and password. An email may be an admin of several workspaces: with one matching
 * password the workspace is implied, with several the caller must name one.
 */
export async function checkCredentials(
  deps: Deps,
  input: { email: string; password: string; workspace?: string | undefined },
): Promise<SignInResult> {
  let workspaceId: string | undefined;
  if (input.workspace) {
    const w = await findWorkspace(deps.store.db, { slug: input.workspace.trim().toLowerCase() });
    if (!w) {
      await verifyPassword(input.password, DUMMY_PASSWORD_HASH);
      return { ok: false, reason: 'invalid' };
    }
    workspaceId = w.id;
  }
  const candidates = (await findAdminsByEmail(deps.store.db, input.email, workspaceId)).slice(0, 10);
  const matching: Admin[] = [];
  for (const a of candidates)
    if (a.passwordHash && (await verifyPassword(input.password, a.passwordHash))) matching.push(a);
  if (candidates.length === 0) await verifyPassword(input.password, DUMMY_PASSWORD_HASH);
  const [only] = matching;
  if (!only) return { ok: false, reason: 'invalid' };
  if (matching.length === 1) return { ok: true, admin: only };
  const workspaces: { slug: string; name: string }[] = [];
  for (const a of matching) {
    const w = await findWorkspace(deps.store.db, { id: a.workspaceId });
    if (w) workspaces.push({ slug: w.slug, name: w.name });
  }
  return { ok: false, reason: 'choose_workspace', workspaces };
}

/** Failed sign-ins per IP+email: 5 within 15 minutes, then refused until the window passes. */
export interface SignInLimiter {
  /** Milliseconds to wait before another attempt is allowed (0: go ahead). */
  check(key: string): number;
  fail(key: string): void;
  succeed(key: string): void;
}

export function createSignInLimiter(clock: Clock, max = 5, windowMs = 15 * 60 * 1000): SignInLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((t) => now - t < windowMs);
  return {
    check(key) {
      const now = clock.now().getTime();
      const list = recent(key, now);
      if (list.length < max) return 0;
      return windowMs - (now - (list[0] ?? now));
    },
    fail(key) {
      const now = clock.now().getTime();
      if (failures.size > 50_000) failures.clear();
      failures.set(key, [...recent(key, now), now]);
    },
    succeed(key) {
      failures.delete(key);
    },
  };
}
