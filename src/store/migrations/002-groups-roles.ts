import type { Kysely } from 'kysely';

// Groups, roles and the mass-deprovisioning guard (portable types only, as in 001).

/** Adds the guard's state table and the index the guard counts deprovisioning events with. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The guard counts `user.suspended` / `user.deleted` events of one workspace in a time window.
  await db.schema
    .createIndex('events_type_created')
    .on('events')
    .columns(['workspace_id', 'type', 'created_at'])
    .execute();

  // One row per workspace that has tripped the guard: the pending refusal and the last Admin confirmation.
  await db.schema
    .createTable('deprovision_guard')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('pending_since', 'text')
    .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confirmed_at', 'text')
    .addColumn('confirmed_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
