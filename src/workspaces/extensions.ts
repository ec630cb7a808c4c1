import type { Deps } from '../deps.js';
import { type Actor, appendEvents } from '../events/append.js';
import { isoNow } from '../lib/clock.js';
import {
  type AttributeInput,
  checkExtensionDefinition,
  ExtensionDefinitionError,
  extensionSchema,
} from '../scim/extension-schema.js';
import { groupContext, type ResourceContext, userContext } from '../scim/resource-types.js';
import { isUniqueViolation } from '../store/dialect.js';
import {
  deleteExtensionRow,
  insertExtension,
  listExtensions,
  type SchemaExtensionRecord,
  touchWorkspace,
} from '../store/extensions.js';
import { findWorkspace, type Workspace } from '../store/workspaces.js';

export { ExtensionDefinitionError };

export interface ExtensionInput {
  urn: string;
  resourceType: string;
  name?: string;
  description?: string;
  attributes: AttributeInput[];
}

// The workspace's updated_at is the version the per-request cache is keyed on: it must move forward
// even when two changes land in the same millisecond.
async function bumpWorkspace(
  deps: Deps,
  trx: Parameters<typeof touchWorkspace>[0],
  workspaceId: string,
): Promise<string> {
  const current = await findWorkspace(trx, { id: workspaceId });
  const now = isoNow(deps.clock);
  const next =
    current && current.updatedAt >= now ? new Date(Date.parse(current.updatedAt) + 1).toISOString() : now;
  await touchWorkspace(trx, workspaceId, next);
  return next;
}

/** Registers a custom schema extension for a workspace and records `schema_extension.registered`. */
export async function registerExtension(
  deps: Deps,
  workspace: Workspace,
  input: ExtensionInput,
  actor: Actor,
): Promise<SchemaExtensionRecord> {
  const def = checkExtensionDefinition(input);
  try {
    return await deps.store.db.transaction().execute(async (trx) => {
      const existing = await listExtensions(trx, workspace.id);
      if (existing.some((e) => e.urn.toLowerCase() === def.urn.toLowerCase())) {
        throw new ExtensionDefinitionError(`"${def.urn}" is already registered in this workspace`);
      }
      const now = await bumpWorkspace(deps, trx, workspace.id);
      const record: SchemaExtensionRecord = { workspaceId: workspace.id, ...def, createdAt: now };
      await insertExtension(trx, record);
      await appendEvents(
        trx,
        workspace.id,
        actor,
        [
          {
            type: 'schema_extension.registered',
            resourceType: 'SchemaExtension',
            resourceId: def.urn,
            data: def,
          },
        ],
        now,
      );
      return record;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new ExtensionDefinitionError(`"${def.urn}" is already registered in this workspace`);
    throw e;
  }
}

/** The custom extensions of a workspace, oldest first. */
export async function listWorkspaceExtensions(
  deps: Deps,
  workspaceId: string,
): Promise<SchemaExtensionRecord[]> {
  return listExtensions(deps.store.db, workspaceId);
}

/**
 * Unregisters an extension (`schema_extension.deleted`). Stored values under its URN stay in the
 * documents but are no longer rendered, searchable or writable; registering the URN again brings them back.
 */
export async function deleteExtension(
  deps: Deps,
  workspace: Workspace,
  urn: string,
  actor: Actor,
): Promise<SchemaExtensionRecord | undefined> {
  return deps.store.db.transaction().execute(async (trx) => {
    const deleted = await deleteExtensionRow(trx, workspace.id, urn.trim());
    if (!deleted) return undefined;
    const now = await bumpWorkspace(deps, trx, workspace.id);
    await appendEvents(
      trx,
      workspace.id,
      actor,
      [
        {
          type: 'schema_extension.deleted',
          resourceType: 'SchemaExtension',
          resourceId: deleted.urn,
          data: { urn: deleted.urn },
        },
      ],
      now,
    );
    return deleted;
  });
}

/** The User and Group contexts of a workspace with its custom extensions. */
export function contextsFor(records: SchemaExtensionRecord[]): {
  user: ResourceContext;
  group: ResourceContext;
} {
  const schemas = (rt: 'User' | 'Group') => records.filter((r) => r.resourceType === rt).map(extensionSchema);
  return { user: userContext(schemas('User')), group: groupContext(schemas('Group')) };
}

export interface ExtensionCache {
  /** The workspace's contexts: no query while the workspace's updated_at is unchanged, else one indexed query. */
  contexts(deps: Deps, workspace: Workspace): Promise<{ user: ResourceContext; group: ResourceContext }>;
}

/**
 * A per-process cache of each workspace's contexts, keyed on the workspace's `updated_at` (loaded by
 * token authentication anyway), which every extension change moves forward: a change made by any
 * process (CLI, REST, another server) is seen on the very next request, at no per-request cost.
 */
export function createExtensionCache(capacity = 10_000): ExtensionCache {
  const map = new Map<string, { stamp: string; value: { user: ResourceContext; group: ResourceContext } }>();
  return {
    async contexts(deps, workspace) {
      const hit = map.get(workspace.id);
      if (hit && hit.stamp === workspace.updatedAt) return hit.value;
      const value = contextsFor(await listExtensions(deps.store.db, workspace.id));
      map.delete(workspace.id);
      map.set(workspace.id, { stamp: workspace.updatedAt, value });
      if (map.size > capacity) {
        const oldest = map.keys().next();
        if (!oldest.done) map.delete(oldest.value);
      }
      return value;
    },
  };
}
