import type { Deps } from '../deps.js';
import { type Actor, appendEvents } from '../events/append.js';
import { isoNow } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { isUniqueViolation } from '../store/dialect.js';
import {
  defaultSettings,
  findWorkspace,
  insertWorkspace,
  type Plan,
  updateWorkspaceRow,
  type Workspace,
  type WorkspaceSettings,
} from '../store/workspaces.js';

export class WorkspaceError extends Error {}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PLANS: Plan[] = ['free', 'team', 'enterprise'];

export interface WorkspaceInput {
  name?: string;
  domain?: string | null;
  plan?: string;
  scim?: boolean;
  settings?: Partial<WorkspaceSettings>;
}

function checkPlan(plan: string): Plan {
  if (!PLANS.includes(plan as Plan)) throw new WorkspaceError(`plan must be one of ${PLANS.join(', ')}`);
  return plan as Plan;
}

function checkDomain(domain: string | null | undefined): string | null {
  if (domain === null || domain === undefined || domain === '') return null;
  const d = domain.toLowerCase();
  if (!DOMAIN.test(d)) throw new WorkspaceError(`"${domain}" is not a valid host name`);
  return d;
}

// SCIM is an Enterprise feature (room here for "SCIM requires SAML SSO" later).
function scimAllowed(plan: Plan): string | null {
  return plan === 'enterprise'
    ? null
    : `SCIM provisioning requires the Enterprise plan (this workspace is on "${plan}").`;
}

/** Why SCIM is unavailable for a workspace right now, or null when it is on. */
export function scimUnavailableReason(w: Workspace): string | null {
  const notAllowed = scimAllowed(w.plan);
  if (notAllowed) return notAllowed;
  if (!w.scimEnabled)
    return 'SCIM provisioning is switched off for this workspace; an Admin can switch it on in Settings > SCIM.';
  return null;
}

/** Creates a workspace; SCIM defaults to on where the plan allows it. */
export async function createWorkspace(
  deps: Deps,
  slug: string,
  input: WorkspaceInput,
  actor: Actor,
): Promise<Workspace> {
  if (!SLUG.test(slug)) throw new WorkspaceError('slug must be lower-case letters, digits and dashes (1-63)');
  const plan = checkPlan(input.plan ?? 'enterprise');
  const allowed = scimAllowed(plan) === null;
  if (input.scim === true && !allowed) throw new WorkspaceError(scimAllowed(plan) ?? '');
  const now = isoNow(deps.clock);
  const w: Workspace = {
    id: newId(),
    slug,
    name: input.name?.trim() || slug,
    domain: checkDomain(input.domain),
    plan,
    scimEnabled: input.scim ?? allowed,
    settings: { ...defaultSettings, ...input.settings },
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.store.db.transaction().execute(async (trx) => {
      await insertWorkspace(trx, w);
      await appendEvents(
        trx,
        w.id,
        actor,
        [{ type: 'workspace.created', resourceType: 'Workspace', resourceId: w.id, data: w }],
        now,
      );
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new WorkspaceError(`slug "${slug}" or domain "${w.domain}" is already taken`);
    throw e;
  }
  return w;
}

/** Updates a workspace's name, domain, plan, SCIM switch or settings. */
export async function updateWorkspace(
  deps: Deps,
  slug: string,
  input: WorkspaceInput,
  actor: Actor,
): Promise<Workspace> {
  const current = await findWorkspace(deps.store.db, { slug });
  if (!current) throw new WorkspaceError(`no workspace "${slug}"`);
  const plan = input.plan !== undefined ? checkPlan(input.plan) : current.plan;
  let scimEnabled = input.scim ?? current.scimEnabled;
  if (input.scim === true && scimAllowed(plan)) throw new WorkspaceError(scimAllowed(plan) ?? '');
  if (scimAllowed(plan)) scimEnabled = false;
  const next: Workspace = {
    ...current,
    name: input.name?.trim() || current.name,
    domain: input.domain !== undefined ? checkDomain(input.domain) : current.domain,
    plan,
    scimEnabled,
    settings: { ...current.settings, ...input.settings },
    updatedAt: isoNow(deps.clock),
  };
  try {
    await deps.store.db.transaction().execute(async (trx) => {
      await updateWorkspaceRow(trx, next);
      await appendEvents(
        trx,
        next.id,
        actor,
        [{ type: 'workspace.updated', resourceType: 'Workspace', resourceId: next.id, data: next }],
        next.updatedAt,
      );
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new WorkspaceError(`domain "${next.domain}" is already taken`);
    throw e;
  }
  return next;
}
