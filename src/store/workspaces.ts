import { sql } from 'kysely';
import type { WorkspaceTable } from './tables.js';
import type { Db } from './users.js';

export type Plan = 'free' | 'team' | 'enterprise';
export type Role = 'Admin' | 'Editor' | 'Viewer' | 'Guest';

export interface WorkspaceSettings {
  defaultRole: Role;
  /** Mass-deprovisioning guard (like Entra's accidental-deletion prevention). */
  deprovisionGuard: { enabled: boolean; threshold: number; windowMinutes: number };
}

export const defaultSettings: WorkspaceSettings = {
  defaultRole: 'Viewer',
  deprovisionGuard: { enabled: true, threshold: 500, windowMinutes: 60 },
};

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  domain: string | null;
  plan: Plan;
  scimEnabled: boolean;
  settings: WorkspaceSettings;
  createdAt: string;
  updatedAt: string;
}

export function toWorkspace(
  row: Omit<WorkspaceTable, 'event_seq' | 'user_count' | 'group_count'>,
): Workspace {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    domain: row.domain,
    plan: row.plan as Plan,
    scimEnabled: row.scim_enabled === 1 || (row.scim_enabled as unknown) === true,
    settings: { ...defaultSettings, ...(JSON.parse(row.settings) as Partial<WorkspaceSettings>) },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const columns = [
  'id',
  'slug',
  'name',
  'domain',
  'plan',
  'scim_enabled',
  'settings',
  'created_at',
  'updated_at',
] as const;

/** Inserts a workspace row. */
export async function insertWorkspace(db: Db, w: Workspace): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({
      id: w.id,
      slug: w.slug,
      name: w.name,
      domain: w.domain,
      plan: w.plan,
      scim_enabled: w.scimEnabled ? 1 : 0,
      settings: JSON.stringify(w.settings),
      created_at: w.createdAt,
      updated_at: w.updatedAt,
    })
    .execute();
}

/** Rewrites a workspace's mutable fields. */
export async function updateWorkspaceRow(db: Db, w: Workspace): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({
      name: w.name,
      domain: w.domain,
      plan: w.plan,
      scim_enabled: w.scimEnabled ? 1 : 0,
      settings: JSON.stringify(w.settings),
      updated_at: w.updatedAt,
    })
    .where('id', '=', w.id)
    .execute();
}

/** Finds a workspace by id, slug or custom domain. */
export async function findWorkspace(
  db: Db,
  by: { id: string } | { slug: string } | { domain: string },
): Promise<Workspace | undefined> {
  let q = db.selectFrom('workspaces').select(columns);
  if ('id' in by) q = q.where('id', '=', by.id);
  else if ('slug' in by) q = q.where('slug', '=', by.slug);
  else q = q.where('domain', '=', by.domain.toLowerCase());
  const row = await q.executeTakeFirst();
  return row ? toWorkspace(row) : undefined;
}

/** All workspaces, oldest first. */
export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  const rows = await db.selectFrom('workspaces').select(columns).orderBy('created_at').execute();
  return rows.map(toWorkspace);
}

/** The workspace's kept count of users or groups (an unfiltered list's totalResults). */
export async function resourceCount(db: Db, workspaceId: string, kind: 'users' | 'groups'): Promise<number> {
  const row = await db
    .selectFrom('workspaces')
    .select(kind === 'users' ? 'user_count as n' : 'group_count as n')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Recomputes the kept counts (after rows were written without events: fast loaders, test seeds). */
export async function recountWorkspace(db: Db, workspaceId: string): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({
      user_count: sql<number>`(SELECT count(*) FROM users WHERE workspace_id = ${workspaceId})`,
      group_count: sql<number>`(SELECT count(*) FROM groups WHERE workspace_id = ${workspaceId})`,
    })
    .where('id', '=', workspaceId)
    .execute();
}
