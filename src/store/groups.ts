import type { Selectable } from 'kysely';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { SortValue } from '../scim/cursor.js';
import type { Engine } from './db.js';
import { supportsRowLocks } from './dialect.js';
import { type ListQuery, listRows } from './list-rows.js';
import { toSortValue } from './paging.js';
import { prepared } from './prepared.js';
import type { GroupTable } from './tables.js';
import type { Db } from './users.js';
import { resourceCount } from './workspaces.js';

/** A group as stored (its members live in group_members, never in the document). */
export interface GroupRecord {
  workspaceId: string;
  id: string;
  displayName: string;
  externalId: string | null;
  /** The workspace role the group grants its members (mapped by an Admin by group id), or null. */
  role: string | null;
  document: Record<string, unknown>;
  memberCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toGroupRecord(row: Selectable<GroupTable>): GroupRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    role: row.role,
    document: JSON.parse(row.data) as Record<string, unknown>,
    memberCount: Number(row.member_count),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts a group row; a taken displayName surfaces as the driver's unique violation. */
export async function insertGroup(db: Db, g: GroupRecord): Promise<void> {
  await db
    .insertInto('groups')
    .values({
      workspace_id: g.workspaceId,
      id: g.id,
      display_name: g.displayName,
      display_name_norm: g.displayName.toLowerCase(),
      external_id: g.externalId,
      role: g.role,
      data: JSON.stringify(g.document),
      member_count: 0,
      version: g.version,
      created_at: g.createdAt,
      updated_at: g.updatedAt,
    })
    .execute();
}

/** Reads one group of a workspace; `lock` takes a row lock where the engine has them. */
export async function findGroup(
  db: Db,
  engine: Engine,
  workspaceId: string,
  id: string,
  lock = false,
): Promise<GroupRecord | undefined> {
  if (!lock || !supportsRowLocks(engine)) {
    const [row] = await selectGroup(db, workspaceId, id);
    return row ? toGroupRecord(row) : undefined;
  }
  const row = await db
    .selectFrom('groups')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toGroupRecord(row) : undefined;
}

// GET /Groups/{id} runs this on every call: built and compiled once, as the user lookup is.
const selectGroup = prepared(
  (db, workspaceId: string, id: string) =>
    db.selectFrom('groups').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id),
  2,
);

/**
 * Writes a group's own fields and adds `memberDelta` to its count in SQL (never a count computed in
 * JS from a value read earlier, so concurrent writers cannot lose an update); returns the new count.
 */
export async function updateGroup(db: Db, g: GroupRecord, memberDelta: number): Promise<number> {
  const row = await db
    .updateTable('groups')
    .set({
      display_name: g.displayName,
      display_name_norm: g.displayName.toLowerCase(),
      external_id: g.externalId,
      data: JSON.stringify(g.document),
      member_count: sql`member_count + ${memberDelta}`,
      version: g.version,
      updated_at: g.updatedAt,
    })
    .where('workspace_id', '=', g.workspaceId)
    .where('id', '=', g.id)
    .returning('member_count')
    .executeTakeFirstOrThrow();
  return Number(row.member_count);
}

/** Sets (or clears) the role a group grants; returns false when the group does not exist. */
export async function setGroupRoleRow(
  db: Db,
  workspaceId: string,
  id: string,
  role: string | null,
): Promise<boolean> {
  const r = await db
    .updateTable('groups')
    .set({ role })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes a group and its membership rows. */
export async function deleteGroupRow(db: Db, workspaceId: string, id: string): Promise<void> {
  await db
    .deleteFrom('group_members')
    .where('workspace_id', '=', workspaceId)
    .where('group_id', '=', id)
    .execute();
  await db.deleteFrom('groups').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Subtracts one from the count of each listed group (a member deleted from the directory left them). */
export async function decrementMemberCounts(db: Db, workspaceId: string, groupIds: string[]): Promise<void> {
  for (let i = 0; i < groupIds.length; i += 500) {
    const chunk = groupIds.slice(i, i + 500);
    await db
      .updateTable('groups')
      .set({ member_count: sql`member_count - 1` })
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', chunk)
      .execute();
  }
}

/** One page of groups with each row's sort value (for cursors), in the order `q.keyset` asks. */
export async function listGroupsKeyed(
  db: Db,
  workspaceId: string,
  q: ListQuery,
): Promise<{ group: GroupRecord; sortValue: SortValue }[]> {
  const rows = await listRows(db, 'groups', 'g', workspaceId, q);
  return rows.map(({ sort_value, ...row }) => ({
    group: toGroupRecord(row),
    sortValue: toSortValue(sort_value),
  }));
}

/** The number of groups matching a filter. */
export async function countGroups(db: Db, workspaceId: string, where?: RawBuilder<SqlBool>): Promise<number> {
  if (!where) return resourceCount(db, workspaceId, 'groups');
  let query = db
    .selectFrom('groups as g')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('g.workspace_id', '=', workspaceId);
  if (where) query = query.where(where);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
