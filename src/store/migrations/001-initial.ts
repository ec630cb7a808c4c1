import type { Kysely } from 'kysely';

// One migration file for both engines: only portable types (text, integer, bigint) are used.
// Timestamps are ISO-8601 UTC text with milliseconds (they sort as text); booleans are 0/1;
// JSON documents are text.

/** Creates the core tables: workspaces, tokens, users, values index, groups, memberships, events. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.unique())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('scim_enabled', 'integer', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('event_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('api_tokens_workspace')
    .on('api_tokens')
    .columns(['workspace_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('user_name_norm', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('display_name', 'text')
    .addColumn('display_name_norm', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('users_user_name')
    .unique()
    .on('users')
    .columns(['workspace_id', 'user_name_norm'])
    .execute();
  await db.schema
    .createIndex('users_external_id')
    .on('users')
    .columns(['workspace_id', 'external_id'])
    .execute();
  await db.schema
    .createIndex('users_display_name')
    .on('users')
    .columns(['workspace_id', 'display_name_norm'])
    .execute();
  await db.schema
    .createIndex('users_updated_at')
    .on('users')
    .columns(['workspace_id', 'updated_at'])
    .execute();
  await db.schema.createIndex('users_id').on('users').column('id').execute();

  await db.schema
    .createTable('user_values')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('attribute', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .addColumn('value_norm', 'text', (c) => c.notNull())
    .addColumn('is_primary', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('user_values_value')
    .on('user_values')
    .columns(['workspace_id', 'attribute', 'value_norm'])
    .execute();
  await db.schema.createIndex('user_values_resource').on('user_values').columns(['resource_id']).execute();

  await db.schema
    .createTable('groups')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('display_name_norm', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('role', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('member_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('groups_display_name')
    .unique()
    .on('groups')
    .columns(['workspace_id', 'display_name_norm'])
    .execute();
  await db.schema
    .createIndex('groups_external_id')
    .on('groups')
    .columns(['workspace_id', 'external_id'])
    .execute();
  await db.schema
    .createIndex('groups_updated_at')
    .on('groups')
    .columns(['workspace_id', 'updated_at'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('member_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['workspace_id', 'group_id', 'member_id'])
    .execute();
  await db.schema
    .createIndex('group_members_member')
    .on('group_members')
    .columns(['workspace_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['workspace_id', 'position'])
    .execute();
  await db.schema
    .createIndex('events_resource')
    .on('events')
    .columns(['workspace_id', 'resource_id'])
    .execute();
  await db.schema.createIndex('events_created').on('events').columns(['created_at']).execute();
}
