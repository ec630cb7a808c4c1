import type { Db } from './users.js';

// Group membership as a relation: one row per (group, member). Every function here costs O(k) in
// the number of ids it is given, whatever the group's size, and none reads the member list.

/** Rows per statement: well under both engines' bound-parameter limits (5 parameters per row). */
export const MEMBER_CHUNK = 500;

/** The largest exact set a `replace members` may carry (one `NOT IN (...)` statement). */
export const MAX_REPLACE_SET = 25_000;

export interface MemberRef {
  id: string;
  type: 'User' | 'Group';
}

/** A member as rendered in a group: id, type and a display name. */
export interface MemberRow {
  id: string;
  type: string;
  display: string | null;
}

function chunks<T>(list: T[], size = MEMBER_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Which of the given ids are users of the workspace (one `SELECT ... IN` per chunk). */
export async function existingUserIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks([...new Set(ids)])) {
    const rows = await db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', chunk)
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** Inserts memberships, ignoring those that exist; returns the ids really added (for the count and the event). */
export async function addMembers(
  db: Db,
  workspaceId: string,
  groupId: string,
  members: MemberRef[],
  now: string,
): Promise<string[]> {
  const unique = new Map<string, MemberRef>();
  for (const m of members) unique.set(m.id, m);
  const added: string[] = [];
  for (const chunk of chunks([...unique.values()])) {
    const rows = await db
      .insertInto('group_members')
      .values(
        chunk.map((m) => ({
          workspace_id: workspaceId,
          group_id: groupId,
          member_id: m.id,
          member_type: m.type,
          created_at: now,
        })),
      )
      // SQLite ≥ 3.24 and PostgreSQL both: a concurrent or repeated add is a no-op, not an error.
      .onConflict((oc) => oc.columns(['workspace_id', 'group_id', 'member_id']).doNothing())
      .returning('member_id')
      .execute();
    for (const r of rows) added.push(r.member_id);
  }
  return added;
}

/** Deletes the listed memberships; returns the ids really removed (absent ones are a no-op). */
export async function removeMembers(
  db: Db,
  workspaceId: string,
  groupId: string,
  ids: string[],
): Promise<string[]> {
  const removed: string[] = [];
  for (const chunk of chunks([...new Set(ids)])) {
    const rows = await db
      .deleteFrom('group_members')
      .where('workspace_id', '=', workspaceId)
      .where('group_id', '=', groupId)
      .where('member_id', 'in', chunk)
      .returning('member_id')
      .execute();
    for (const r of rows) removed.push(r.member_id);
  }
  return removed;
}

/**
 * Deletes every membership of the group except the listed ones (the "remove" half of an exact-set
 * replace, computed in SQL); returns the ids removed.
 */
export async function retainMembers(
  db: Db,
  workspaceId: string,
  groupId: string,
  keep: string[],
): Promise<string[]> {
  let q = db
    .deleteFrom('group_members')
    .where('workspace_id', '=', workspaceId)
    .where('group_id', '=', groupId);
  const unique = [...new Set(keep)];
  if (unique.length > 0) q = q.where('member_id', 'not in', unique);
  const rows = await q.returning('member_id').execute();
  return rows.map((r) => r.member_id);
}

/** One page of a group's members in id order after `afterId` (keyset on the primary key), with display names. */
export async function pageMembers(
  db: Db,
  workspaceId: string,
  groupId: string,
  afterId: string | undefined,
  limit: number,
): Promise<MemberRow[]> {
  let q = db
    .selectFrom('group_members as m')
    .leftJoin('users as u', (j) =>
      j.onRef('u.workspace_id', '=', 'm.workspace_id').onRef('u.id', '=', 'm.member_id'),
    )
    .select(['m.member_id', 'm.member_type', 'u.display_name', 'u.user_name'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.group_id', '=', groupId);
  if (afterId !== undefined) q = q.where('m.member_id', '>', afterId);
  const rows = await q.orderBy('m.member_id').limit(limit).execute();
  return rows.map((r) => ({
    id: r.member_id,
    type: r.member_type,
    display: r.display_name ?? r.user_name ?? null,
  }));
}
