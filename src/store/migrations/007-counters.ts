import { type Kysely, sql } from 'kysely';

/**
 * Per-workspace user and group counts, so an unfiltered list's totalResults costs one row read
 * instead of a count over the whole workspace. Kept by appendEvents in each write transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('user_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('workspaces')
    .addColumn('group_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE workspaces SET
    user_count = (SELECT count(*) FROM users WHERE users.workspace_id = workspaces.id),
    group_count = (SELECT count(*) FROM groups WHERE groups.workspace_id = workspaces.id)`.execute(db);
}
