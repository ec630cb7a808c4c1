import type { Kysely, Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { Db } from './users.js';

// The console's tables, declared here (with migration 004) so tables.ts stays the core's.

export type AdminTable = {
  id: string;
  workspace_id: string;
  email: string;
  email_norm: string;
  role: string;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
};

export type AdminInviteTable = {
  id: string;
  workspace_id: string;
  email: string;
  role: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
};

export type AdminSessionTable = {
  id_hash: string;
  workspace_id: string;
  admin_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
};

// A type alias (not an interface) so it satisfies withTables' index-signature constraint.
export type ConsoleTables = {
  admins: AdminTable;
  admin_invites: AdminInviteTable;
  admin_sessions: AdminSessionTable;
};

export type AdminRole = 'Admin' | 'Editor' | 'Viewer';
export const adminRoles: AdminRole[] = ['Admin', 'Editor', 'Viewer'];

export interface Admin {
  id: string;
  workspaceId: string;
  email: string;
  role: AdminRole;
  passwordHash: string | null;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}

export interface AdminInvite {
  id: string;
  workspaceId: string;
  email: string;
  role: AdminRole;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface AdminSession {
  workspaceId: string;
  adminId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

function on(db: Db): Kysely<Database & ConsoleTables> {
  return (db as Kysely<Database> | Transaction<Database>).withTables<ConsoleTables>();
}

function toAdmin(row: AdminTable): Admin {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    email: row.email,
    role: row.role as AdminRole,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSignInAt: row.last_sign_in_at,
  };
}

function toInvite(row: AdminInviteTable): AdminInvite {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    email: row.email,
    role: row.role as AdminRole,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

/** Admin accounts with this email (in every workspace, or in one). */
export async function findAdminsByEmail(db: Db, email: string, workspaceId?: string): Promise<Admin[]> {
  let q = on(db).selectFrom('admins').selectAll().where('email_norm', '=', email.trim().toLowerCase());
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  return (await q.orderBy('created_at').execute()).map(toAdmin);
}

/** One admin of a workspace. */
export async function findAdmin(db: Db, workspaceId: string, id: string): Promise<Admin | undefined> {
  const row = await on(db)
    .selectFrom('admins')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toAdmin(row) : undefined;
}

/** Inserts an admin account. */
export async function insertAdmin(db: Db, a: Admin): Promise<void> {
  await on(db)
    .insertInto('admins')
    .values({
      id: a.id,
      workspace_id: a.workspaceId,
      email: a.email,
      email_norm: a.email.toLowerCase(),
      role: a.role,
      password_hash: a.passwordHash,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
      last_sign_in_at: a.lastSignInAt,
    })
    .execute();
}

/** Sets an admin's password hash and role (an invite to an existing account resets both). */
export async function updateAdminCredentials(db: Db, a: Admin): Promise<void> {
  await on(db)
    .updateTable('admins')
    .set({ password_hash: a.passwordHash, role: a.role, updated_at: a.updatedAt })
    .where('workspace_id', '=', a.workspaceId)
    .where('id', '=', a.id)
    .execute();
}

/** Records a successful sign-in. */
export async function touchAdminSignIn(db: Db, workspaceId: string, id: string, at: string): Promise<void> {
  await on(db)
    .updateTable('admins')
    .set({ last_sign_in_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Stores an invite; only the hash of its token is written. */
export async function insertInvite(db: Db, invite: AdminInvite, tokenHash: string): Promise<void> {
  await on(db)
    .insertInto('admin_invites')
    .values({
      id: invite.id,
      workspace_id: invite.workspaceId,
      email: invite.email,
      role: invite.role,
      token_hash: tokenHash,
      created_at: invite.createdAt,
      expires_at: invite.expiresAt,
      used_at: null,
    })
    .execute();
}

/** An invite by the hash of its token. */
export async function findInviteByHash(db: Db, tokenHash: string): Promise<AdminInvite | undefined> {
  const row = await on(db)
    .selectFrom('admin_invites')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row ? toInvite(row) : undefined;
}

/** Marks an invite used; false when it was already used (a concurrent acceptance lost). */
export async function markInviteUsed(db: Db, workspaceId: string, id: string, at: string): Promise<boolean> {
  const r = await on(db)
    .updateTable('admin_invites')
    .set({ used_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Stores a session under the hash of its cookie value. */
export async function insertSession(
  db: Db,
  idHash: string,
  s: AdminSession,
  client: { ip: string | null; userAgent: string | null },
): Promise<void> {
  await on(db)
    .insertInto('admin_sessions')
    .values({
      id_hash: idHash,
      workspace_id: s.workspaceId,
      admin_id: s.adminId,
      csrf_token: s.csrfToken,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
      ip: client.ip,
      user_agent: client.userAgent,
    })
    .execute();
}

/** A session by the hash of its cookie value. */
export async function findSession(db: Db, idHash: string): Promise<AdminSession | undefined> {
  const row = await on(db)
    .selectFrom('admin_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    workspaceId: row.workspace_id,
    adminId: row.admin_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Ends a session. */
export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await on(db).deleteFrom('admin_sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of an admin (after a password reset). */
export async function deleteSessionsOf(db: Db, workspaceId: string, adminId: string): Promise<void> {
  await on(db)
    .deleteFrom('admin_sessions')
    .where('workspace_id', '=', workspaceId)
    .where('admin_id', '=', adminId)
    .execute();
}
