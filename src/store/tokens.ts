import { prepared } from './prepared.js';
import type { ApiTokenTable } from './tables.js';
import type { Db } from './users.js';
import { toWorkspace, type Workspace } from './workspaces.js';

export type Scope = 'scim' | 'api:read' | 'api:write';
export const allScopes: Scope[] = ['scim', 'api:read', 'api:write'];

export interface ApiToken {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export function toApiToken(row: Omit<ApiTokenTable, 'token_hash'>): ApiToken {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.split(',').filter(Boolean) as Scope[],
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

const publicColumns = [
  'id',
  'workspace_id',
  'name',
  'prefix',
  'scopes',
  'created_at',
  'created_by',
  'last_used_at',
  'expires_at',
  'revoked_at',
] as const;

/** Stores a token; only its hash is ever written. */
export async function insertToken(db: Db, token: ApiToken, hash: string): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: token.id,
      workspace_id: token.workspaceId,
      name: token.name,
      prefix: token.prefix,
      token_hash: hash,
      scopes: token.scopes.join(','),
      created_at: token.createdAt,
      created_by: token.createdBy,
      last_used_at: null,
      expires_at: token.expiresAt,
      revoked_at: null,
    })
    .execute();
}

/**
 * Looks a token up by its hash, with its workspace, in one query (this runs on every request);
 * returns the stored hash too, for the constant-time comparison.
 */
export async function findTokenByHash(
  db: Db,
  hash: string,
): Promise<{ token: ApiToken; hash: string; workspace: Workspace } | undefined> {
  const [row] = await selectTokenByHash(db, hash);
  if (!row) return undefined;
  const workspace = toWorkspace({
    id: row.workspace_id,
    slug: row.w_slug,
    name: row.w_name,
    domain: row.w_domain,
    plan: row.w_plan,
    scim_enabled: row.w_scim_enabled,
    settings: row.w_settings,
    created_at: row.w_created_at,
    updated_at: row.w_updated_at,
  });
  return { token: toApiToken(row), hash: row.token_hash, workspace };
}

/** A token by id (optionally within one workspace). */
export async function findToken(db: Db, id: string, workspaceId?: string): Promise<ApiToken | undefined> {
  let q = db.selectFrom('api_tokens').select(publicColumns).where('id', '=', id);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  const row = await q.executeTakeFirst();
  return row ? toApiToken(row) : undefined;
}

/** A workspace's tokens, newest first. */
export async function listTokens(db: Db, workspaceId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(publicColumns)
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toApiToken);
}

/** Marks a token revoked. */
export async function revokeTokenRow(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Records use, at most once a minute: the WHERE clause skips the write when it is recent. */
export async function touchToken(db: Db, id: string, at: string, notBefore: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notBefore)]))
    .execute();
}

const selectTokenByHash = prepared(
  (db, hash: string) =>
    db
      .selectFrom('api_tokens as t')
      .innerJoin('workspaces as w', 'w.id', 't.workspace_id')
      .selectAll('t')
      .select([
        'w.slug as w_slug',
        'w.name as w_name',
        'w.domain as w_domain',
        'w.plan as w_plan',
        'w.scim_enabled as w_scim_enabled',
        'w.settings as w_settings',
        'w.created_at as w_created_at',
        'w.updated_at as w_updated_at',
      ])
      .where('t.token_hash', '=', hash),
  1,
);
