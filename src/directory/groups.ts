import type { Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import { appendEvents, type NewEvent } from '../events/append.js';
import { isoNow } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { invalidValue, notFound, uniqueness } from '../scim/errors.js';
import { applyPatch, type MemberChange } from '../scim/patch.js';
import { normaliseResource } from '../scim/resource.js';
import type { ResourceContext } from '../scim/resource-types.js';
import { PATCH_OP } from '../scim/schema-model.js';
import { isUniqueViolation } from '../store/dialect.js';
import { deleteGroupRow, findGroup, type GroupRecord, insertGroup, updateGroup } from '../store/groups.js';
import {
  addMembers,
  existingUserIds,
  MAX_REPLACE_SET,
  type MemberRef,
  removeMembers,
  retainMembers,
} from '../store/memberships.js';
import type { Database } from '../store/tables.js';
import { writeLocked } from './locked-write.js';
import type { Caller } from './users.js';

export interface GroupWriteResult {
  group: GroupRecord;
  changed: boolean;
  notes: string[];
}

type Member = { value: string; type?: string };

function groupState(g: GroupRecord): Record<string, unknown> {
  return {
    id: g.id,
    displayName: g.displayName,
    externalId: g.externalId,
    document: g.document,
    memberCount: g.memberCount,
    version: g.version,
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
  };
}

function displayNameOf(document: Record<string, unknown>): string {
  const name = document.displayName;
  if (typeof name !== 'string' || name.trim() === '') throw invalidValue('"displayName" is required.');
  return name;
}

function conflict(displayName: string): Error {
  return uniqueness(`A group with displayName "${displayName}" already exists in this workspace.`);
}

/**
 * The `members` of a POST/PUT body, parsed exactly as a PATCH `replace members` would parse them
 * (bare ids, `$ref: null`, read-only `display`), or undefined when the body has no `members` key.
 */
function membersOfBody(
  body: unknown,
  ctx: ResourceContext,
  id: string | undefined,
  notes: string[],
): Member[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'members');
  if (key === undefined) return undefined;
  const value = (body as Record<string, unknown>)[key];
  const result = applyPatch(
    { document: {}, externalId: null },
    { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: value ?? null }] },
    ctx,
    id === undefined ? {} : { id },
  );
  notes.push(...result.notes);
  const change = result.memberChanges[0];
  return change && change.op === 'replace' ? change.members : [];
}

/** Members must be users of the workspace: unknown ids are 400 invalidValue naming them (and the transaction rolls back). */
async function checkedMembers(
  trx: Transaction<Database>,
  workspaceId: string,
  members: Member[],
): Promise<MemberRef[]> {
  const nested = members.filter((m) => m.type?.toLowerCase() === 'group');
  if (nested.length > 0) {
    throw invalidValue(`Nested groups are not supported: member "${nested[0]?.value}" has type "Group".`);
  }
  const found = await existingUserIds(
    trx,
    workspaceId,
    members.map((m) => m.value),
  );
  const unknown = members.filter((m) => !found.has(m.value)).map((m) => m.value);
  if (unknown.length > 0) {
    const shown = unknown
      .slice(0, 10)
      .map((v) => `"${v}"`)
      .join(', ');
    const more = unknown.length > 10 ? ` and ${unknown.length - 10} more` : '';
    throw invalidValue(
      `Unknown member id${unknown.length > 1 ? 's' : ''} ${shown}${more}: not a user of this workspace.`,
    );
  }
  return members.map((m) => ({ id: m.value, type: 'User' }));
}

/** Net membership effect of a request, for one `members_added` and one `members_removed` event. */
class MemberLedger {
  /** id → true when added by this request, false when removed (absent when it cancelled out). */
  private readonly net = new Map<string, boolean>();
  delta = 0;

  record(added: string[], removed: string[]): void {
    this.delta += added.length - removed.length;
    for (const id of added) this.flip(id, true);
    for (const id of removed) this.flip(id, false);
  }

  private flip(id: string, added: boolean): void {
    const prior = this.net.get(id);
    if (prior === undefined) this.net.set(id, added);
    else if (prior !== added) this.net.delete(id);
  }

  get touched(): boolean {
    return this.net.size > 0;
  }

  events(g: GroupRecord): NewEvent[] {
    const added = [...this.net].filter(([, a]) => a).map(([id]) => id);
    const removed = [...this.net].filter(([, a]) => !a).map(([id]) => id);
    const out: NewEvent[] = [];
    const base = { groupId: g.id, displayName: g.displayName, memberCount: g.memberCount };
    if (added.length > 0)
      out.push({
        type: 'group.members_added',
        resourceType: 'Group',
        resourceId: g.id,
        data: { ...base, members: added },
      });
    if (removed.length > 0) {
      out.push({
        type: 'group.members_removed',
        resourceType: 'Group',
        resourceId: g.id,
        data: { ...base, members: removed },
      });
    }
    return out;
  }
}

/** Applies membership changes in order, each as O(k) statements; the group row is never rewritten here. */
async function applyMemberChanges(
  trx: Transaction<Database>,
  group: GroupRecord,
  changes: MemberChange[],
  now: string,
  ledger: MemberLedger,
): Promise<void> {
  const ws = group.workspaceId;
  for (const change of changes) {
    switch (change.op) {
      case 'add': {
        const refs = await checkedMembers(trx, ws, change.members);
        ledger.record(await addMembers(trx, ws, group.id, refs, now), []);
        break;
      }
      case 'remove':
        ledger.record([], await removeMembers(trx, ws, group.id, change.ids));
        break;
      case 'removeAll':
        ledger.record([], await retainMembers(trx, ws, group.id, []));
        break;
      case 'replace': {
        if (change.members.length > MAX_REPLACE_SET) {
          throw invalidValue(
            `A replace of "members" may list at most ${MAX_REPLACE_SET} members; send add and remove operations instead.`,
          );
        }
        const refs = await checkedMembers(trx, ws, change.members);
        // The exact set as a diff in SQL: delete those not listed, insert those missing.
        const removed = await retainMembers(
          trx,
          ws,
          group.id,
          refs.map((r) => r.id),
        );
        ledger.record(await addMembers(trx, ws, group.id, refs, now), removed);
        break;
      }
    }
  }
}

/** POST /Groups: the group and its initial members in one transaction (`group.created`, then `group.members_added`). */
export async function createGroup(
  deps: Deps,
  caller: Caller,
  body: unknown,
  ctx: ResourceContext,
): Promise<GroupWriteResult> {
  const { document, externalId, notes } = normaliseResource(body, ctx);
  const now = isoNow(deps.clock);
  const id = newId();
  const members = membersOfBody(body, ctx, id, notes) ?? [];
  const group: GroupRecord = {
    workspaceId: caller.workspace.id,
    id,
    displayName: displayNameOf(document),
    externalId: externalId ?? null,
    role: null,
    document,
    memberCount: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.store.db.transaction().execute(async (trx) => {
      await insertGroup(trx, group);
      const ledger = new MemberLedger();
      if (members.length > 0) await applyMemberChanges(trx, group, [{ op: 'add', members }], now, ledger);
      if (ledger.delta !== 0) group.memberCount = await updateGroup(trx, group, ledger.delta);
      const events: NewEvent[] = [
        { type: 'group.created', resourceType: 'Group', resourceId: id, data: groupState(group) },
      ];
      await appendEvents(trx, caller.workspace.id, caller.actor, [...events, ...ledger.events(group)], now);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(group.displayName);
    throw e;
  }
  return { group, changed: true, notes };
}

/** GET /Groups/{id}: the group row only (members are paged separately); 404 for other workspaces' ids. */
export async function getGroup(deps: Deps, caller: Caller, id: string): Promise<GroupRecord> {
  const group = await findGroup(deps.store.db, deps.store.engine, caller.workspace.id, id);
  if (!group) throw notFound(`Group ${id} not found.`);
  return group;
}

interface Computed {
  group: GroupRecord;
  memberChanges: MemberChange[];
  notes: string[];
}

/** The shared write path of PUT and PATCH: lock the row, compute, apply the membership diff, write, append events. */
async function writeGroup(
  deps: Deps,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
  compute: (current: GroupRecord) => Computed,
): Promise<GroupWriteResult> {
  let attempted: string | undefined;
  try {
    return await writeLocked(
      deps,
      caller,
      { label: 'Group', find: findGroup, id, ifMatch },
      async (trx, current) => {
        const next = compute(current);
        attempted = next.group.displayName;
        const now = isoNow(deps.clock);
        const ledger = new MemberLedger();
        await applyMemberChanges(trx, current, next.memberChanges, now, ledger);
        const own =
          JSON.stringify(current.document) !== JSON.stringify(next.group.document) ||
          current.externalId !== next.group.externalId;
        if (!own && !ledger.touched) return { group: current, changed: false, notes: next.notes };
        const group: GroupRecord = { ...next.group, version: current.version + 1, updatedAt: now };
        group.memberCount = await updateGroup(trx, group, ledger.delta);
        const events: NewEvent[] = own
          ? [{ type: 'group.updated', resourceType: 'Group', resourceId: id, data: groupState(group) }]
          : [];
        await appendEvents(trx, caller.workspace.id, caller.actor, [...events, ...ledger.events(group)], now);
        return { group, changed: true, notes: next.notes };
      },
    );
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(attempted ?? '');
    throw e;
  }
}

/**
 * PUT /Groups/{id}: replaces displayName, externalId and (when the body has `members`) the member
 * set, as a diff; the group's own name is never a conflict with itself (Okta AIW sends it back).
 * A body without `members` keeps them; `"members": []` or null clears them.
 */
export async function replaceGroup(
  deps: Deps,
  caller: Caller,
  id: string,
  body: unknown,
  ctx: ResourceContext,
  ifMatch?: string,
): Promise<GroupWriteResult> {
  const { document, externalId, notes } = normaliseResource(body, ctx);
  const members = membersOfBody(body, ctx, id, notes);
  return writeGroup(deps, caller, id, ifMatch, (current) => ({
    group: {
      ...current,
      displayName: displayNameOf(document),
      externalId: externalId === undefined ? current.externalId : externalId,
      document,
    },
    memberChanges: members === undefined ? [] : [{ op: 'replace', members }],
    notes,
  }));
}

/** PATCH /Groups/{id}: the PATCH engine yields the document and the member changes; the store applies them in order. */
export async function patchGroup(
  deps: Deps,
  caller: Caller,
  id: string,
  body: unknown,
  ctx: ResourceContext,
  ifMatch?: string,
): Promise<GroupWriteResult> {
  return writeGroup(deps, caller, id, ifMatch, (current) => {
    const result = applyPatch({ document: current.document, externalId: current.externalId }, body, ctx, {
      id: current.id,
    });
    return {
      group: {
        ...current,
        displayName: displayNameOf(result.document),
        externalId: result.externalId,
        document: result.document,
      },
      memberChanges: result.memberChanges,
      notes: result.notes,
    };
  });
}

/** DELETE /Groups/{id}: the group and its memberships; the event keeps the last state (not the member list). */
export async function deleteGroup(deps: Deps, caller: Caller, id: string, ifMatch?: string): Promise<void> {
  await writeLocked(deps, caller, { label: 'Group', find: findGroup, id, ifMatch }, async (trx, current) => {
    await deleteGroupRow(trx, caller.workspace.id, id);
    const now = isoNow(deps.clock);
    await appendEvents(
      trx,
      caller.workspace.id,
      caller.actor,
      [{ type: 'group.deleted', resourceType: 'Group', resourceId: id, data: groupState(current) }],
      now,
    );
  });
}
