import { type Expression, type SqlBool, sql } from 'kysely';
import { containsPattern, effectiveRoleIs, type MemberSearch } from './api-members.js';
import { type GroupRecord, toGroupRecord } from './groups.js';
import { type Db, toUserRecord, type UserRecord } from './users.js';

// Read queries behind the admin console's lists: keyset pages (never offsets, never everything).

// `q` matches the names only here (the console's box says "Name or user name"), not emails as in the API.
function memberWhere(q: Omit<MemberSearch, 'afterId' | 'limit'>, workspaceId: string): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [];
  if (q.q) {
    const p = containsPattern(q.q);
    parts.push(
      sql<SqlBool>`(u.user_name_norm like ${p} escape '\\' or u.display_name_norm like ${p} escape '\\')`,
    );
  }
  if (q.status) parts.push(sql<SqlBool>`u.active = ${q.status === 'active' ? 1 : 0}`);
  if (q.role) parts.push(effectiveRoleIs(q.role, q.defaultRole));
  if (q.groupId) {
    parts.push(
      sql<SqlBool>`u.id in (select m.member_id from group_members m where m.workspace_id = ${workspaceId} and m.group_id = ${q.groupId})`,
    );
  }
  return parts;
}

/** One page of members in id order (time-ordered ids) after `afterId`, filtered in SQL. */
export async function pageMembersFiltered(
  db: Db,
  workspaceId: string,
  q: MemberSearch,
): Promise<UserRecord[]> {
  let query = db.selectFrom('users as u').selectAll('u').where('u.workspace_id', '=', workspaceId);
  for (const w of memberWhere(q, workspaceId)) query = query.where(w);
  if (q.afterId) query = query.where('u.id', '>', q.afterId);
  const rows = await query.orderBy('u.id').limit(q.limit).execute();
  return rows.map(toUserRecord);
}

/** How many members match the same filters (for "1-50 of 100,000"). */
export async function countMembersFiltered(
  db: Db,
  workspaceId: string,
  q: Omit<MemberSearch, 'afterId' | 'limit'>,
): Promise<number> {
  let query = db
    .selectFrom('users as u')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('u.workspace_id', '=', workspaceId);
  for (const w of memberWhere(q, workspaceId)) query = query.where(w);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** One page of groups in id order, optionally by a displayName substring. */
export async function pageGroupsFiltered(
  db: Db,
  workspaceId: string,
  q: { q?: string; afterId?: string; limit: number },
): Promise<{ groups: GroupRecord[]; total: number }> {
  let query = db.selectFrom('groups as g').where('g.workspace_id', '=', workspaceId);
  if (q.q) query = query.where(sql<SqlBool>`g.display_name_norm like ${containsPattern(q.q)} escape '\\'`);
  const total = Number(
    (await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  );
  let page = query.selectAll('g');
  if (q.afterId) page = page.where('g.id', '>', q.afterId);
  const rows = await page.orderBy('g.id').limit(q.limit).execute();
  return { groups: rows.map(toGroupRecord), total };
}

/** The groups of one member, with the role each grants. */
export async function groupsOfMember(
  db: Db,
  workspaceId: string,
  memberId: string,
): Promise<{ id: string; displayName: string; role: string | null }[]> {
  const rows = await db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', (j) =>
      j.onRef('g.workspace_id', '=', 'm.workspace_id').onRef('g.id', '=', 'm.group_id'),
    )
    .select(['g.id', 'g.display_name', 'g.role'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.member_id', '=', memberId)
    .orderBy('g.display_name_norm')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, role: r.role }));
}
