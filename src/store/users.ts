import type { Kysely, RawBuilder, SqlBool, Transaction } from 'kysely';
import type { SortValue } from '../scim/cursor.js';
import type { Engine } from './db.js';
import { supportsRowLocks } from './dialect.js';
import { type ListQuery, listRows } from './list-rows.js';
import { toSortValue } from './paging.js';
import { prepared } from './prepared.js';
import type { Database, UserTable } from './tables.js';
import { resourceCount } from './workspaces.js';

export type Db = Kysely<Database> | Transaction<Database>;

/** A user as stored, with its document parsed. */
export interface UserRecord {
  workspaceId: string;
  id: string;
  userName: string;
  externalId: string | null;
  displayName: string | null;
  active: boolean;
  role: string | null;
  document: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** An indexed value of a multi-valued attribute (emails), for filters. */
export interface IndexedValue {
  attribute: string;
  type: string | null;
  value: string;
  primary: boolean;
}

export function toUserRecord(row: UserTable): UserRecord {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    userName: row.user_name,
    externalId: row.external_id,
    displayName: row.display_name,
    active: row.active === 1 || (row.active as unknown) === true,
    role: row.role,
    document: JSON.parse(row.data) as Record<string, unknown>,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(u: UserRecord): UserTable {
  return {
    workspace_id: u.workspaceId,
    id: u.id,
    user_name: u.userName,
    user_name_norm: u.userName.toLowerCase(),
    external_id: u.externalId,
    display_name: u.displayName,
    display_name_norm: u.displayName === null ? null : u.displayName.toLowerCase(),
    active: u.active ? 1 : 0,
    role: u.role,
    data: JSON.stringify(u.document),
    version: u.version,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

/** Inserts a user and its indexed values; a taken userName surfaces as the driver's unique violation. */
export async function insertUser(trx: Db, user: UserRecord, values: IndexedValue[]): Promise<void> {
  await trx.insertInto('users').values(toRow(user)).execute();
  await writeValues(trx, user.workspaceId, user.id, values);
}

async function writeValues(trx: Db, workspaceId: string, id: string, values: IndexedValue[]): Promise<void> {
  if (values.length === 0) return;
  await trx
    .insertInto('user_values')
    .values(
      values.map((v) => ({
        workspace_id: workspaceId,
        resource_id: id,
        attribute: v.attribute,
        type: v.type,
        value_norm: v.value.toLowerCase(),
        is_primary: v.primary ? 1 : 0,
      })),
    )
    .execute();
}

/** Reads one user of a workspace; `lock` takes a row lock where the engine has them. */
export async function findUser(
  db: Db,
  engine: Engine,
  workspaceId: string,
  id: string,
  lock = false,
): Promise<UserRecord | undefined> {
  if (!lock || !supportsRowLocks(engine)) {
    const [row] = await selectUser(db, workspaceId, id);
    return row ? toUserRecord(row) : undefined;
  }
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toUserRecord(row) : undefined;
}

const selectUser = prepared(
  (db, workspaceId: string, id: string) =>
    db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id),
  2,
);

/** Rewrites a user row (and its indexed values when they changed). */
export async function updateUser(
  trx: Db,
  user: UserRecord,
  values: IndexedValue[] | undefined,
): Promise<void> {
  const row = toRow(user);
  await trx
    .updateTable('users')
    .set({
      user_name: row.user_name,
      user_name_norm: row.user_name_norm,
      external_id: row.external_id,
      display_name: row.display_name,
      display_name_norm: row.display_name_norm,
      active: row.active,
      role: row.role,
      data: row.data,
      version: row.version,
      updated_at: row.updated_at,
    })
    .where('workspace_id', '=', user.workspaceId)
    .where('id', '=', user.id)
    .execute();
  if (values) {
    await trx
      .deleteFrom('user_values')
      .where('resource_id', '=', user.id)
      .where('workspace_id', '=', user.workspaceId)
      .execute();
    await writeValues(trx, user.workspaceId, user.id, values);
  }
}

/** Deletes a user, its indexed values and its memberships; returns the group ids it was removed from. */
export async function deleteUser(trx: Db, workspaceId: string, id: string): Promise<string[]> {
  const groups = await trx
    .deleteFrom('group_members')
    .where('workspace_id', '=', workspaceId)
    .where('member_id', '=', id)
    .returning('group_id')
    .execute();
  await trx
    .deleteFrom('user_values')
    .where('workspace_id', '=', workspaceId)
    .where('resource_id', '=', id)
    .execute();
  await trx.deleteFrom('users').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  return groups.map((g) => g.group_id);
}

/** One page of users with each row's sort value (for cursors), in the order `q.keyset` asks. */
export async function listUsersKeyed(
  db: Db,
  workspaceId: string,
  q: ListQuery,
): Promise<{ user: UserRecord; sortValue: SortValue }[]> {
  const rows = await listRows(db, 'users', 'u', workspaceId, q);
  return rows.map((r) => ({ user: toUserRecord(r), sortValue: toSortValue(r.sort_value) }));
}

/** The number of users matching a filter. */
export async function countUsers(db: Db, workspaceId: string, where?: RawBuilder<SqlBool>): Promise<number> {
  if (!where) return resourceCount(db, workspaceId, 'users');
  let query = db
    .selectFrom('users as u')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('u.workspace_id', '=', workspaceId);
  if (where) query = query.where(where);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The groups (id, displayName, mapped role) of each of the given users, in one query. */
export async function groupsOfUsers(
  db: Db,
  workspaceId: string,
  userIds: string[],
): Promise<Map<string, { id: string; displayName: string; role: string | null }[]>> {
  const map = new Map<string, { id: string; displayName: string; role: string | null }[]>();
  if (userIds.length === 0) return map;
  const [only] = userIds;
  const rows =
    userIds.length === 1 && only !== undefined
      ? await selectGroupsOfUser(db, workspaceId, only)
      : await db
          .selectFrom('group_members as m')
          .innerJoin('groups as g', (j) =>
            j.onRef('g.workspace_id', '=', 'm.workspace_id').onRef('g.id', '=', 'm.group_id'),
          )
          .select(['m.member_id', 'g.id', 'g.display_name', 'g.role'])
          .where('m.workspace_id', '=', workspaceId)
          .where('m.member_id', 'in', userIds)
          .orderBy('g.id')
          .execute();
  for (const r of rows) {
    const list = map.get(r.member_id) ?? [];
    if (list.length === 0) map.set(r.member_id, list);
    list.push({ id: r.id, displayName: r.display_name, role: r.role });
  }
  return map;
}

const selectGroupsOfUser = prepared(
  (db, workspaceId: string, userId: string) =>
    db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', (j) =>
        j.onRef('g.workspace_id', '=', 'm.workspace_id').onRef('g.id', '=', 'm.group_id'),
      )
      .select(['m.member_id', 'g.id', 'g.display_name', 'g.role'])
      .where('m.workspace_id', '=', workspaceId)
      .where('m.member_id', '=', userId)
      .orderBy('g.id'),
  2,
);
