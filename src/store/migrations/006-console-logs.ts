import type { Kysely } from 'kysely';

// Indexes for the console's provisioning log views (portable types only, as in 001).

/** Adds the keyset-paging index (newest id first) and a covering index for the 24-hour status figures. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The log pages by id (UUIDv7, time-ordered) within a workspace: ORDER BY id DESC LIMIT n.
  await db.schema
    .createIndex('provisioning_log_page')
    .on('provisioning_log')
    .columns(['workspace_id', 'id'])
    .execute();
  // The SCIM status panel counts requests and errors since a time: index-only with status included.
  await db.schema
    .createIndex('provisioning_log_time_status')
    .on('provisioning_log')
    .columns(['workspace_id', 'created_at', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('provisioning_log_time_status').execute();
  await db.schema.dropIndex('provisioning_log_page').execute();
}
