import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../deps.js';
import { type Actor, appendEvents } from '../events/append.js';
import { isoNow } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import {
  type Admin,
  type AdminInvite,
  type AdminRole,
  adminRoles,
  deleteSessionsOf,
  findAdminsByEmail,
  findInviteByHash,
  insertAdmin,
  insertInvite,
  markInviteUsed,
  updateAdminCredentials,
} from '../store/admins.js';
import { findWorkspace, type Workspace } from '../store/workspaces.js';

export class AdminError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid' | 'not_found' | 'expired' | 'used' = 'invalid',
  ) {
    super(message);
  }
}

export const INVITE_TTL_MS = 24 * 60 * 60 * 1000;
export const MIN_PASSWORD_LENGTH = 12;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// scrypt (memory-hard, RFC 7914) with N=2^15, r=8, p=1: 32 MiB and ~50-100 ms per hash (OWASP's floor is 2^17 for
// N with r=8; 2^15 keeps sign-in snappy on small hosts; the parameters are stored so they can be raised later).
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function scryptAsync(
  password: string,
  salt: Buffer,
  p: { N: number; r: number; p: number; keyLength: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      p.keyLength,
      { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r * p.p },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keyLength: expected.length,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verified when no account matches, so the time taken does not reveal which emails exist. */
export const DUMMY_PASSWORD_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    throw new AdminError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`);
  }
  if (password.length > 1024) throw new AdminError('The password is too long.');
  return password;
}

export function parseAdminRole(raw: string | undefined): AdminRole {
  const role = (raw ?? 'Admin').trim();
  const found = adminRoles.find((r) => r.toLowerCase() === role.toLowerCase());
  if (!found) throw new AdminError(`role must be one of ${adminRoles.join(', ')}`);
  return found;
}

/** Creates a one-time invite (24 hours) for an email; the token is returned once and only its hash is stored. */
export async function inviteAdmin(
  deps: Deps,
  workspace: Workspace,
  input: { email: string; role?: AdminRole },
  actor: Actor,
): Promise<{ invite: AdminInvite; token: string }> {
  const email = input.email.trim();
  if (!EMAIL.test(email)) throw new AdminError(`"${input.email}" is not an email address`);
  const now = deps.clock.now();
  const token = randomBytes(32).toString('base64url');
  const invite: AdminInvite = {
    id: newId(),
    workspaceId: workspace.id,
    email,
    role: input.role ?? 'Admin',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITE_TTL_MS).toISOString(),
    usedAt: null,
  };
  await deps.store.db.transaction().execute(async (trx) => {
    await insertInvite(trx, invite, hashSecret(token));
    await appendEvents(
      trx,
      workspace.id,
      actor,
      [
        {
          type: 'admin.invited',
          resourceType: 'Admin',
          resourceId: invite.id,
          data: { email, role: invite.role, expiresAt: invite.expiresAt },
        },
      ],
      invite.createdAt,
    );
  });
  return { invite, token };
}

/** The invite behind a token, with its workspace, when it is still usable. */
export async function openInvite(
  deps: Deps,
  token: string,
): Promise<{ invite: AdminInvite; workspace: Workspace }> {
  const invite =
    typeof token === 'string' && token.length < 200
      ? await findInviteByHash(deps.store.db, hashSecret(token))
      : undefined;
  if (!invite) throw new AdminError('This invitation link is not valid.', 'not_found');
  if (invite.usedAt)
    throw new AdminError('This invitation link has already been used; sign in instead.', 'used');
  if (Date.parse(invite.expiresAt) <= deps.clock.now().getTime()) {
    throw new AdminError('This invitation link has expired; ask for a new one.', 'expired');
  }
  const workspace = await findWorkspace(deps.store.db, { id: invite.workspaceId });
  if (!workspace) throw new AdminError('This invitation link is not valid.', 'not_found');
  return { invite, workspace };
}

/** Accepts an invite: creates the admin (or resets an existing one's password and role), once. */
export async function acceptInvite(
  deps: Deps,
  token: string,
  password: unknown,
  actorIp: string | null,
): Promise<Admin> {
  const pw = checkPassword(password);
  const { invite, workspace } = await openInvite(deps, token);
  const passwordHash = await hashPassword(pw);
  const now = isoNow(deps.clock);
  return deps.store.db.transaction().execute(async (trx) => {
    if (!(await markInviteUsed(trx, workspace.id, invite.id, now))) {
      throw new AdminError('This invitation link has already been used; sign in instead.', 'used');
    }
    const [existing] = await findAdminsByEmail(trx, invite.email, workspace.id);
    let admin: Admin;
    if (existing) {
      admin = { ...existing, passwordHash, role: invite.role, updatedAt: now };
      await updateAdminCredentials(trx, admin);
      await deleteSessionsOf(trx, workspace.id, admin.id);
    } else {
      admin = {
        id: newId(),
        workspaceId: workspace.id,
        email: invite.email,
        role: invite.role,
        passwordHash,
        createdAt: now,
        updatedAt: now,
        lastSignInAt: null,
      };
      await insertAdmin(trx, admin);
    }
    await appendEvents(
      trx,
      workspace.id,
      { type: 'admin', id: admin.id, ip: actorIp },
      [
        {
          type: existing ? 'admin.password_reset' : 'admin.created',
          resourceType: 'Admin',
          resourceId: admin.id,
          data: { email: admin.email, role: admin.role },
        },
      ],
      now,
    );
    return admin;
  });
}
