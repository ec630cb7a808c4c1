import type { Deps } from '../deps.js';
import { type Actor, appendEvents, type NewEvent } from '../events/append.js';
import { isoNow } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { invalidValue, notFound, uniqueness } from '../scim/errors.js';
import { applyPatch } from '../scim/patch.js';
import { normaliseResource, type ScimDocument } from '../scim/resource.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { isUniqueViolation } from '../store/dialect.js';
import { decrementMemberCounts } from '../store/groups.js';
import {
  deleteUser as deleteUserRow,
  findUser,
  type IndexedValue,
  insertUser,
  type UserRecord,
  updateUser,
} from '../store/users.js';
import type { Workspace } from '../store/workspaces.js';
import { checkDeprovisionGuard, recordGuardRefusal } from './deprovision-guard.js';
import { writeLocked } from './locked-write.js';

/** Who is calling, for which workspace. */
export interface Caller {
  workspace: Workspace;
  actor: Actor;
}

export interface WriteResult {
  user: UserRecord;
  changed: boolean;
  notes: string[];
}

/** The values of `indexedValues` attributes (emails), as the store indexes them. */
export function indexedValuesOf(document: ScimDocument, ctx: ResourceContext): IndexedValue[] {
  const out: IndexedValue[] = [];
  for (const def of ctx.core.attributes) {
    if (!def.indexedValues) continue;
    const list = document[def.name];
    if (!Array.isArray(list)) continue;
    for (const item of list as Record<string, unknown>[]) {
      if (typeof item?.value !== 'string') continue;
      out.push({
        attribute: def.name,
        type: typeof item.type === 'string' ? item.type.toLowerCase() : null,
        value: item.value,
        primary: item.primary === true,
      });
    }
  }
  return out;
}

/** The `type` of the `roles` element Rollcall derives from group→role mappings. */
export const WORKSPACE_ROLE_TYPE = 'workspace';

/**
 * Drops the derived role a client echoed back: Okta GETs a user and PUTs the whole object, which
 * would otherwise turn the derived role into a stored one.
 */
function dropDerivedRoles(document: ScimDocument, notes: string[]): ScimDocument {
  const roles = document.roles;
  if (!Array.isArray(roles)) return document;
  const kept = roles.filter((r) => (r as { type?: unknown })?.type !== WORKSPACE_ROLE_TYPE);
  if (kept.length === roles.length) return document;
  notes.push('derived workspace role in "roles" ignored (read-only)');
  const next = { ...document };
  if (kept.length > 0) next.roles = kept;
  else delete next.roles;
  return next;
}

function columnsOf(document: ScimDocument): Pick<UserRecord, 'userName' | 'displayName' | 'active'> {
  const userName = document.userName;
  if (typeof userName !== 'string' || userName.trim() === '') throw invalidValue('"userName" is required.');
  return {
    userName,
    displayName: typeof document.displayName === 'string' ? document.displayName : null,
    active: document.active !== false,
  };
}

/** The event type for a user change: suspension and reactivation are their own events. */
function updateEventType(before: UserRecord, after: UserRecord): string {
  if (before.active && !after.active) return 'user.suspended';
  if (!before.active && after.active) return 'user.reactivated';
  return 'user.updated';
}

export function userState(u: UserRecord): Record<string, unknown> {
  return {
    id: u.id,
    userName: u.userName,
    externalId: u.externalId,
    active: u.active,
    displayName: u.displayName,
    document: u.document,
    version: u.version,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

function userEvent(type: string, u: UserRecord, extra: Record<string, unknown> = {}): NewEvent {
  return { type, resourceType: 'User', resourceId: u.id, data: { ...userState(u), ...extra } };
}

function conflict(userName: string): Error {
  return uniqueness(`A user with userName "${userName}" already exists in this workspace.`);
}

/** POST /Users: validates, stores, and records `user.created` in one transaction. */
export async function createUser(
  deps: Deps,
  caller: Caller,
  body: unknown,
  ctx: ResourceContext,
): Promise<WriteResult> {
  const normalised = normaliseResource(body, ctx);
  const { externalId, notes } = normalised;
  const document = dropDerivedRoles(normalised.document, notes);
  const now = isoNow(deps.clock);
  // RFC 7643 §4.1.1: a missing `active` means active (the member is provisioned to work).
  if (document.active === undefined) document.active = true;
  const user: UserRecord = {
    workspaceId: caller.workspace.id,
    id: newId(),
    ...columnsOf(document),
    externalId: externalId ?? null,
    role: null,
    document,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.store.db.transaction().execute(async (trx) => {
      await insertUser(trx, user, indexedValuesOf(document, ctx));
      await appendEvents(trx, caller.workspace.id, caller.actor, [userEvent('user.created', user)], now);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(user.userName);
    throw e;
  }
  return { user, changed: true, notes };
}

/** GET /Users/{id}: 404 for unknown ids and for ids of other workspaces. */
export async function getUser(deps: Deps, caller: Caller, id: string): Promise<UserRecord> {
  const user = await findUser(deps.store.db, deps.store.engine, caller.workspace.id, id);
  if (!user) throw notFound(`User ${id} not found.`);
  return user;
}

async function writeUpdate(
  deps: Deps,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
  compute: (current: UserRecord) => {
    user: UserRecord;
    changed: boolean;
    valuesChanged: boolean;
    notes: string[];
  },
  ctx: ResourceContext,
): Promise<WriteResult> {
  try {
    return await writeLocked(
      deps,
      caller,
      { label: 'User', find: findUser, id, ifMatch },
      async (trx, current) => {
        const next = compute(current);
        if (!next.changed) return { user: current, changed: false, notes: next.notes };
        const now = isoNow(deps.clock);
        const user: UserRecord = { ...next.user, version: current.version + 1, updatedAt: now };
        // active → inactive is a suspension: the mass-deprovisioning guard may refuse it.
        if (current.active && !user.active) await checkDeprovisionGuard(trx, deps, caller);
        await updateUser(trx, user, next.valuesChanged ? indexedValuesOf(user.document, ctx) : undefined);
        await appendEvents(
          trx,
          caller.workspace.id,
          caller.actor,
          [userEvent(updateEventType(current, user), user)],
          now,
        );
        return { user, changed: true, notes: next.notes };
      },
    );
  } catch (e) {
    if (isUniqueViolation(e)) throw uniqueness('Another user in this workspace already has that userName.');
    await recordGuardRefusal(deps, caller, e);
    throw e;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** PUT /Users/{id}: replaces the resource; an `active` left out keeps its value (Okta sends full objects). */
export async function replaceUser(
  deps: Deps,
  caller: Caller,
  id: string,
  body: unknown,
  ctx: ResourceContext,
  ifMatch?: string,
): Promise<WriteResult> {
  const normalised = normaliseResource(body, ctx);
  const { externalId, notes } = normalised;
  const document = dropDerivedRoles(normalised.document, notes);
  return writeUpdate(
    deps,
    caller,
    id,
    ifMatch,
    (current) => {
      if (document.active === undefined) document.active = current.active;
      const nextExternalId = externalId === undefined ? current.externalId : externalId;
      const user: UserRecord = { ...current, ...columnsOf(document), externalId: nextExternalId, document };
      const changed = !sameJson(current.document, document) || current.externalId !== nextExternalId;
      return { user, changed, valuesChanged: changed, notes };
    },
    ctx,
  );
}

/** PATCH /Users/{id}: applies the operations atomically; a PATCH that changes nothing succeeds. */
export async function patchUser(
  deps: Deps,
  caller: Caller,
  id: string,
  body: unknown,
  ctx: ResourceContext,
  ifMatch?: string,
): Promise<WriteResult> {
  return writeUpdate(
    deps,
    caller,
    id,
    ifMatch,
    (current) => {
      const result = applyPatch({ document: current.document, externalId: current.externalId }, body, ctx, {
        id: current.id,
      });
      const user: UserRecord = {
        ...current,
        ...columnsOf(result.document),
        externalId: result.externalId,
        document: dropDerivedRoles(result.document, result.notes),
      };
      return { user, changed: result.changed, valuesChanged: result.changed, notes: result.notes };
    },
    ctx,
  );
}

/** DELETE /Users/{id}: removes the member and every membership; the event keeps the last state for audit. */
export async function deleteUser(deps: Deps, caller: Caller, id: string, ifMatch?: string): Promise<void> {
  await writeLocked(deps, caller, { label: 'User', find: findUser, id, ifMatch }, async (trx, current) => {
    await checkDeprovisionGuard(trx, deps, caller);
    const now = isoNow(deps.clock);
    const groups = await deleteUserRow(trx, caller.workspace.id, id);
    await decrementMemberCounts(trx, caller.workspace.id, groups);
    await appendEvents(
      trx,
      caller.workspace.id,
      caller.actor,
      [userEvent('user.deleted', current, { groups })],
      now,
    );
  }).catch(async (e: unknown) => {
    await recordGuardRefusal(deps, caller, e);
    throw e;
  });
}
