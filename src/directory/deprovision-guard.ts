import { sql, type Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import { type Actor, appendEvents } from '../events/append.js';
import { isoNow } from '../lib/clock.js';
import { ScimError } from '../scim/errors.js';
import { supportsRowLocks } from '../store/dialect.js';
import type { Database } from '../store/tables.js';
import type { Db } from '../store/users.js';
import type { Workspace } from '../store/workspaces.js';
import { updateWorkspace } from '../workspaces/workspaces.js';
import type { Caller } from './users.js';

/**
 * The mass-deprovisioning guard, like Entra's accidental-deletion prevention: when more than
 * `threshold` members of a workspace would be suspended or deleted within `windowMinutes`, further
 * suspensions and deletions are refused until an Admin confirms (`rollcall guard confirm <slug>`);
 * a confirmation lets the next `threshold` through (the count restarts at the confirmation).
 */

/** The events the guard counts (both are appended by directory/users.ts). */
export const DEPROVISION_EVENTS = ['user.suspended', 'user.deleted'] as const;

interface GuardTable {
  workspace_id: string;
  pending_since: string | null;
  refused: number;
  confirmed_at: string | null;
  confirmed_by: string | null;
  updated_at: string;
}

function guardDb(db: Db) {
  return db.withTables<{ deprovision_guard: GuardTable }>();
}

/**
 * The refusal: 409 Conflict (the request conflicts with the workspace's state: the guard is
 * tripped), no scimType (none of RFC 7644 §3.12 fits). Identity providers retry 409s on their next
 * cycle, so nothing is lost once an Admin confirms.
 */
export class DeprovisionGuardRefusal extends ScimError {
  readonly count: number;
  constructor(count: number, windowMinutes: number, slug: string) {
    super(
      409,
      undefined,
      `mass deprovisioning guard: ${count} members suspended or deleted in the last ${windowMinutes} minutes; ` +
        `an Admin must confirm (rollcall guard confirm ${slug})`,
    );
    this.count = count;
  }
}

export interface GuardStatus {
  enabled: boolean;
  threshold: number;
  windowMinutes: number;
  /** Suspensions and deletions counted now (since the window start or the last confirmation). */
  count: number;
  pendingSince: string | null;
  refused: number;
  confirmedAt: string | null;
}

async function countSince(
  db: Db,
  deps: Deps,
  workspace: Workspace,
): Promise<{ count: number; row: GuardTable | undefined }> {
  const { windowMinutes } = workspace.settings.deprovisionGuard;
  const row = await guardDb(db)
    .selectFrom('deprovision_guard')
    .selectAll()
    .where('workspace_id', '=', workspace.id)
    .executeTakeFirst();
  const windowStart = new Date(deps.clock.now().getTime() - windowMinutes * 60_000).toISOString();
  const since = row?.confirmed_at && row.confirmed_at > windowStart ? row.confirmed_at : windowStart;
  // Served by the (workspace_id, type, created_at) index of migration 002.
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspace.id)
    .where('type', 'in', [...DEPROVISION_EVENTS])
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), row };
}

/**
 * Called inside the transaction that is about to suspend or delete one member: throws
 * DeprovisionGuardRefusal when that would exceed the threshold. On PostgreSQL the workspace row is
 * locked first so concurrent deprovisions are counted one after the other (appendEvents locks it anyway).
 */
export async function checkDeprovisionGuard(
  trx: Transaction<Database>,
  deps: Deps,
  caller: Caller,
): Promise<void> {
  const guard = caller.workspace.settings.deprovisionGuard;
  if (!guard.enabled) return;
  if (supportsRowLocks(deps.store.engine)) {
    await trx
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', caller.workspace.id)
      .forUpdate()
      .execute();
  }
  const { count } = await countSince(trx, deps, caller.workspace);
  if (count + 1 > guard.threshold)
    throw new DeprovisionGuardRefusal(count, guard.windowMinutes, caller.workspace.slug);
}

/**
 * After a refused request rolled back: records the pending confirmation in its own transaction,
 * with a `deprovision_guard.tripped` event the first time (not one per refused request).
 */
export async function recordGuardRefusal(deps: Deps, caller: Caller, error: unknown): Promise<void> {
  if (!(error instanceof DeprovisionGuardRefusal)) return;
  const now = isoNow(deps.clock);
  const ws = caller.workspace.id;
  await deps.store.db.transaction().execute(async (trx) => {
    const db = guardDb(trx);
    const before = await db
      .selectFrom('deprovision_guard')
      .select('pending_since')
      .where('workspace_id', '=', ws)
      .executeTakeFirst();
    await db
      .insertInto('deprovision_guard')
      .values({
        workspace_id: ws,
        pending_since: now,
        refused: 1,
        confirmed_at: null,
        confirmed_by: null,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet({
          pending_since: sql`COALESCE(deprovision_guard.pending_since, ${now})`,
          refused: sql`deprovision_guard.refused + 1`,
          updated_at: now,
        }),
      )
      .execute();
    if (!before?.pending_since) {
      const { threshold, windowMinutes } = caller.workspace.settings.deprovisionGuard;
      await appendEvents(
        trx,
        ws,
        caller.actor,
        [
          {
            type: 'deprovision_guard.tripped',
            resourceType: 'Workspace',
            resourceId: ws,
            data: { count: error.count, threshold, windowMinutes },
          },
        ],
        now,
      );
    }
  });
}

/** An Admin's confirmation: clears the pending refusal and lets the next `threshold` deprovisions through. */
export async function confirmDeprovisions(
  deps: Deps,
  workspace: Workspace,
  actor: Actor,
): Promise<GuardStatus> {
  const now = isoNow(deps.clock);
  await deps.store.db.transaction().execute(async (trx) => {
    const before = await guardDb(trx)
      .selectFrom('deprovision_guard')
      .selectAll()
      .where('workspace_id', '=', workspace.id)
      .executeTakeFirst();
    const confirmedBy = actor.id ?? actor.type;
    await guardDb(trx)
      .insertInto('deprovision_guard')
      .values({
        workspace_id: workspace.id,
        pending_since: null,
        refused: 0,
        confirmed_at: now,
        confirmed_by: confirmedBy,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet({
          pending_since: null,
          refused: 0,
          confirmed_at: now,
          confirmed_by: confirmedBy,
          updated_at: now,
        }),
      )
      .execute();
    await appendEvents(
      trx,
      workspace.id,
      actor,
      [
        {
          type: 'deprovision_guard.confirmed',
          resourceType: 'Workspace',
          resourceId: workspace.id,
          data: { pendingSince: before?.pending_since ?? null, refused: before?.refused ?? 0 },
        },
      ],
      now,
    );
  });
  return guardStatus(deps, workspace);
}

/** The guard's settings, current count and pending refusal, for the CLI (and the REST API later). */
export async function guardStatus(deps: Deps, workspace: Workspace): Promise<GuardStatus> {
  const { count, row } = await countSince(deps.store.db, deps, workspace);
  return {
    ...workspace.settings.deprovisionGuard,
    count,
    pendingSince: row?.pending_since ?? null,
    refused: Number(row?.refused ?? 0),
    confirmedAt: row?.confirmed_at ?? null,
  };
}

/** Switches the guard on or off for a workspace (a workspace setting; `workspace.updated` is recorded). */
export async function setGuardEnabled(
  deps: Deps,
  workspace: Workspace,
  enabled: boolean,
  actor: Actor,
): Promise<Workspace> {
  return updateWorkspace(
    deps,
    workspace.slug,
    { settings: { deprovisionGuard: { ...workspace.settings.deprovisionGuard, enabled } } },
    actor,
  );
}
