import { sql } from 'kysely';
import type { Deps } from '../deps.js';
import { appendEvents } from '../events/append.js';
import { isoNow } from '../lib/clock.js';
import { notFound } from '../scim/errors.js';
import { rankCase } from '../store/api-members.js';
import { findGroup, setGroupRoleRow } from '../store/groups.js';
import type { Db } from '../store/users.js';
import { findWorkspace, type Role } from '../store/workspaces.js';
import type { Caller } from './users.js';

/** Workspace roles, lowest first: a member gets the highest role of their groups. */
export const ROLES: readonly Role[] = ['Guest', 'Viewer', 'Editor', 'Admin'];

/** Reads a role name case-insensitively; `none` (or empty) means "no role mapped"; anything else is undefined. */
export function parseRole(raw: string): Role | null | undefined {
  const lower = raw.trim().toLowerCase();
  if (lower === 'none' || lower === '') return null;
  return ROLES.find((r) => r.toLowerCase() === lower);
}

// The rank of a group's role in SQL (NULL for unmapped groups, which MAX ignores).
const rankSql = rankCase(sql.ref('g.role'));

/** The effective role from already-loaded group roles: the highest mapped one, else own, else default. */
export function roleFrom(groupRoles: (string | null)[], own: string | null, fallback: Role): Role {
  let rank = 0;
  for (const r of groupRoles) {
    const i = r === null ? -1 : ROLES.indexOf(r as Role);
    if (i + 1 > rank) rank = i + 1;
  }
  if (rank > 0) return ROLES[rank - 1] ?? fallback;
  return (own === null ? undefined : parseRole(own)) ?? fallback;
}

/**
 * The effective role of each given user: the highest role mapped to any of their groups, else the
 * user's own role (set directly by an Admin), else the workspace's default role. Computed in SQL
 * (users ⟕ group_members ⟕ groups), one query per 500 ids; ids that are not users are left out.
 */
export async function effectiveRoles(
  db: Db,
  workspaceId: string,
  userIds: string[],
  defaultRole?: Role,
): Promise<Map<string, Role>> {
  const out = new Map<string, Role>();
  if (userIds.length === 0) return out;
  const fallback =
    defaultRole ?? (await findWorkspace(db, { id: workspaceId }))?.settings.defaultRole ?? 'Viewer';
  const unique = [...new Set(userIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('users as u')
      .leftJoin('group_members as m', (j) =>
        j.onRef('m.workspace_id', '=', 'u.workspace_id').onRef('m.member_id', '=', 'u.id'),
      )
      .leftJoin('groups as g', (j) =>
        j.onRef('g.workspace_id', '=', 'm.workspace_id').onRef('g.id', '=', 'm.group_id'),
      )
      .select(['u.id', 'u.role', sql<number | null>`MAX(${rankSql})`.as('rank')])
      .where('u.workspace_id', '=', workspaceId)
      .where('u.id', 'in', unique.slice(i, i + 500))
      .groupBy(['u.id', 'u.role'])
      .execute();
    for (const r of rows) {
      const rank = r.rank === null ? 0 : Number(r.rank);
      const own = r.role === null ? undefined : parseRole(r.role);
      out.set(r.id, rank > 0 ? (ROLES[rank - 1] ?? fallback) : (own ?? fallback));
    }
  }
  return out;
}

/**
 * Maps a group to a workspace role by the group's id (never by its name, so a rename in the identity
 * provider cannot grant access), or clears the mapping with null; records `group.role_mapped`.
 */
export async function setGroupRole(
  deps: Deps,
  caller: Caller,
  groupId: string,
  role: Role | null,
): Promise<{ previous: string | null }> {
  return deps.store.db.transaction().execute(async (trx) => {
    const group = await findGroup(trx, deps.store.engine, caller.workspace.id, groupId, true);
    if (!group) throw notFound(`Group ${groupId} not found.`);
    const now = isoNow(deps.clock);
    // The role is not part of the SCIM representation: neither the version nor lastModified change.
    await setGroupRoleRow(trx, caller.workspace.id, groupId, role);
    await appendEvents(
      trx,
      caller.workspace.id,
      caller.actor,
      [
        {
          type: 'group.role_mapped',
          resourceType: 'Group',
          resourceId: groupId,
          data: { groupId, displayName: group.displayName, role, previousRole: group.role },
        },
      ],
      now,
    );
    return { previous: group.role };
  });
}
