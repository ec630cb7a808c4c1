import type { AttributeInput } from '../scim/extension-schema.js';
import type { Db } from './users.js';

/** Row shape of schema_extensions (migrations/005-extensions.ts); kept here, the table's only reader. */
export interface SchemaExtensionTable {
  workspace_id: string;
  urn: string;
  urn_norm: string;
  resource_type: string;
  name: string;
  description: string;
  attributes: string;
  created_at: string;
}

/** A registered extension schema of a workspace, as stored. */
export interface SchemaExtensionRecord {
  workspaceId: string;
  urn: string;
  resourceType: 'User' | 'Group';
  name: string;
  description: string;
  attributes: AttributeInput[];
  createdAt: string;
}

function typed(db: Db) {
  return db.withTables<{ schema_extensions: SchemaExtensionTable }>();
}

function toRecord(row: SchemaExtensionTable): SchemaExtensionRecord {
  return {
    workspaceId: row.workspace_id,
    urn: row.urn,
    resourceType: row.resource_type === 'Group' ? 'Group' : 'User',
    name: row.name,
    description: row.description,
    attributes: JSON.parse(row.attributes) as AttributeInput[],
    createdAt: row.created_at,
  };
}

/** Inserts an extension; a URN already registered surfaces as the driver's unique violation. */
export async function insertExtension(db: Db, e: SchemaExtensionRecord): Promise<void> {
  await typed(db)
    .insertInto('schema_extensions')
    .values({
      workspace_id: e.workspaceId,
      urn: e.urn,
      urn_norm: e.urn.toLowerCase(),
      resource_type: e.resourceType,
      name: e.name,
      description: e.description,
      attributes: JSON.stringify(e.attributes),
      created_at: e.createdAt,
    })
    .execute();
}

/** The extensions of a workspace, oldest first (one indexed query: the primary key's prefix). */
export async function listExtensions(db: Db, workspaceId: string): Promise<SchemaExtensionRecord[]> {
  const rows = await typed(db)
    .selectFrom('schema_extensions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('urn_norm')
    .execute();
  return rows.map(toRecord);
}

/** Deletes an extension by URN (case-insensitively); returns the deleted record, if any. */
export async function deleteExtensionRow(
  db: Db,
  workspaceId: string,
  urn: string,
): Promise<SchemaExtensionRecord | undefined> {
  const row = await typed(db)
    .deleteFrom('schema_extensions')
    .where('workspace_id', '=', workspaceId)
    .where('urn_norm', '=', urn.toLowerCase())
    .returningAll()
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Marks the workspace's configuration as changed, so per-workspace caches keyed on updated_at reload. */
export async function touchWorkspace(db: Db, workspaceId: string, now: string): Promise<void> {
  await db.updateTable('workspaces').set({ updated_at: now }).where('id', '=', workspaceId).execute();
}
