import type { Kysely } from 'kysely';

// Custom SCIM schema extensions per workspace (portable types only, as in 001).

/** Creates schema_extensions: one row per registered extension URN of a workspace. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('schema_extensions')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('urn', 'text', (c) => c.notNull())
    // URNs compare case-insensitively (RFC 7643 §2.1 for schema names); the lower-cased copy is the key.
    .addColumn('urn_norm', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('schema_extensions_pk', ['workspace_id', 'urn_norm'])
    .execute();
}
