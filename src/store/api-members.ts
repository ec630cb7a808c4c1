import { sql } from 'kysely';
import type { GroupRecord } from './groups.js';
import { toGroupRecord } from './groups.js';
import { type Db, toUserRecord, type UserRecord } from './users.js';

// Read queries of the REST API's directory views (members search, groups list): keyset pages on id.

const ROLE_RANK: Record<string, number> = { Guest: 1, Viewer: 2, Editor: 3, Admin: 4 };

/** The rank of a role column in SQL (NULL for no or an unknown role, which MAX and COALESCE skip). */
export function rankCase(column: ReturnType<typeof sql.ref>) {
  return sql<number>`CASE ${column} WHEN 'Admin' THEN 4 WHEN 'Editor' THEN 3 WHEN 'Viewer' THEN 2 WHEN 'Guest' THEN 1 END`;
}

/**
 * "The member's effective role is `role`" in SQL, for `users as u`: the highest role mapped to one
 * of their groups, else their own role, else the workspace default (as directory/roles.ts `roleFrom`).
 */
export function effectiveRoleIs(role: string, defaultRole: string) {
  const groupRank = sql<number>`(SELECT MAX(${rankCase(sql.ref('g.role'))}) FROM group_members m JOIN groups g ON g.workspace_id = m.workspace_id AND g.id = m.group_id WHERE m.workspace_id = u.workspace_id AND m.member_id = u.id)`;
  const effective = sql<number>`COALESCE(${groupRank}, ${rankCase(sql.ref('u.role'))}, ${ROLE_RANK[defaultRole] ?? 2})`;
  return sql<boolean>`${effective} = ${ROLE_RANK[role] ?? -1}`;
}

/**
 * A LIKE pattern that matches the text anywhere, with the wildcards in it escaped (`\` is the escape
 * on both engines). The console's lists (console-reads.ts) use it too.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A member search, for the REST API's and the console's member lists. */
export interface MemberSearch {
  /** The REST API matches it in userName, displayName and emails; the console in the names only. */
  q?: string;
  status?: 'active' | 'suspended';
  /** Effective role: highest mapped group role, else the member's own role, else the default. */
  role?: string;
  defaultRole: string;
  groupId?: string;
  afterId?: string;
  limit: number;
}

/** Members matching a search, in id order after a cursor; fetch limit+1 to know if there is more. */
export async function searchMembers(db: Db, workspaceId: string, q: MemberSearch): Promise<UserRecord[]> {
  let query = db.selectFrom('users as u').selectAll('u').where('u.workspace_id', '=', workspaceId);
  if (q.q) {
    const pattern = containsPattern(q.q);
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`u.user_name_norm like ${pattern} escape '\\'`,
        sql<boolean>`u.display_name_norm like ${pattern} escape '\\'`,
        eb.exists(
          eb
            .selectFrom('user_values as v')
            .select(sql.lit(1).as('one'))
            .whereRef('v.workspace_id', '=', 'u.workspace_id')
            .whereRef('v.resource_id', '=', 'u.id')
            .where('v.attribute', '=', 'emails')
            .where(sql<boolean>`v.value_norm like ${pattern} escape '\\'`),
        ),
      ]),
    );
  }
  if (q.status) query = query.where('u.active', '=', q.status === 'active' ? 1 : 0);
  if (q.groupId) {
    const groupId = q.groupId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('group_members as m')
          .select(sql.lit(1).as('one'))
          .whereRef('m.workspace_id', '=', 'u.workspace_id')
          .whereRef('m.member_id', '=', 'u.id')
          .where('m.group_id', '=', groupId),
      ),
    );
  }
  if (q.role) query = query.where(effectiveRoleIs(q.role, q.defaultRole));
  if (q.afterId) query = query.where('u.id', '>', q.afterId);
  const rows = await query
    .orderBy('u.id')
    .limit(q.limit + 1)
    .execute();
  return rows.map(toUserRecord);
}

/** Groups matching a display-name search, in id order after a cursor (limit+1 rows). */
export async function searchGroups(
  db: Db,
  workspaceId: string,
  q: { q?: string; afterId?: string; limit: number },
): Promise<GroupRecord[]> {
  let query = db.selectFrom('groups').selectAll().where('workspace_id', '=', workspaceId);
  if (q.q) query = query.where(sql<boolean>`display_name_norm like ${containsPattern(q.q)} escape '\\'`);
  if (q.afterId) query = query.where('id', '>', q.afterId);
  const rows = await query
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  return rows.map(toGroupRecord);
}

/** Groups that are mapped to a role (the role mappings). */
export async function mappedGroups(db: Db, workspaceId: string): Promise<GroupRecord[]> {
  const rows = await db
    .selectFrom('groups')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('role', 'is not', null)
    .orderBy('display_name_norm')
    .execute();
  return rows.map(toGroupRecord);
}
