import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../deps.js';
import { type Actor, appendEvents } from '../events/append.js';
import { isoNow } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import {
  type ApiToken,
  allScopes,
  findToken,
  findTokenByHash,
  insertToken,
  revokeTokenRow,
  type Scope,
  touchToken,
} from '../store/tokens.js';
import type { Workspace } from '../store/workspaces.js';

/** Recognisable by secret scanners: `rc_` + 43 base64url characters (32 random bytes). */
export const TOKEN_PREFIX = 'rc_';
const TOKEN_SHAPE = /^rc_[A-Za-z0-9_-]{43}$/;
const TOUCH_INTERVAL_MS = 60_000;

export class TokenError extends Error {}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function parseScopes(raw: string | undefined): Scope[] {
  if (raw === undefined || raw.trim() === '') return [...allScopes];
  const scopes = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of scopes) {
    if (!allScopes.includes(s as Scope))
      throw new TokenError(`unknown scope "${s}"; scopes are ${allScopes.join(', ')}`);
  }
  return [...new Set(scopes)] as Scope[];
}

/** Creates a token for a workspace; the secret is returned exactly once and only its hash is stored. */
export async function createToken(
  deps: Deps,
  workspace: Workspace,
  input: { name?: string; scopes?: Scope[]; expiresAt?: string | null },
  actor: Actor,
): Promise<{ token: ApiToken; secret: string }> {
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const now = isoNow(deps.clock);
  if (input.expiresAt && Number.isNaN(Date.parse(input.expiresAt)))
    throw new TokenError('expiresAt must be a date');
  const token: ApiToken = {
    id: newId(),
    workspaceId: workspace.id,
    name: input.name?.trim() || 'API token',
    prefix: secret.slice(0, 10),
    scopes: input.scopes && input.scopes.length > 0 ? input.scopes : [...allScopes],
    createdAt: now,
    createdBy: actor.id,
    lastUsedAt: null,
    expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
    revokedAt: null,
  };
  await deps.store.db.transaction().execute(async (trx) => {
    await insertToken(trx, token, hashToken(secret));
    await appendEvents(
      trx,
      workspace.id,
      actor,
      [{ type: 'token.created', resourceType: 'Token', resourceId: token.id, data: token }],
      now,
    );
  });
  return { token, secret };
}

/** Revokes a token (effective on the next request); returns the token, or undefined when unknown. */
export async function revokeToken(
  deps: Deps,
  id: string,
  actor: Actor,
  workspaceId?: string,
): Promise<ApiToken | undefined> {
  const token = await findToken(deps.store.db, id, workspaceId);
  if (!token) return undefined;
  if (token.revokedAt) return token;
  const now = isoNow(deps.clock);
  await deps.store.db.transaction().execute(async (trx) => {
    await revokeTokenRow(trx, id, now);
    await appendEvents(
      trx,
      token.workspaceId,
      actor,
      [{ type: 'token.revoked', resourceType: 'Token', resourceId: id, data: { ...token, revokedAt: now } }],
      now,
    );
  });
  return { ...token, revokedAt: now };
}

export type AuthResult = { ok: true; token: ApiToken; workspace: Workspace } | { ok: false; reason: string };

/**
 * Authenticates a bearer secret: looked up by its SHA-256 (an index lookup), then compared in
 * constant time; revoked and expired tokens fail. Last use is written at most once a minute.
 */
export async function authenticate(deps: Deps, secret: string): Promise<AuthResult> {
  if (!TOKEN_SHAPE.test(secret)) return { ok: false, reason: 'The bearer token is malformed.' };
  const hash = hashToken(secret);
  const found = await findTokenByHash(deps.store.db, hash);
  if (!found || !timingSafeEqual(Buffer.from(found.hash, 'hex'), Buffer.from(hash, 'hex'))) {
    return { ok: false, reason: 'The bearer token is not valid.' };
  }
  const { token } = found;
  const now = deps.clock.now();
  if (token.revokedAt) return { ok: false, reason: 'The bearer token has been revoked.' };
  if (token.expiresAt && Date.parse(token.expiresAt) <= now.getTime())
    return { ok: false, reason: 'The bearer token has expired.' };
  const { workspace } = found;
  if (!token.lastUsedAt || now.getTime() - Date.parse(token.lastUsedAt) >= TOUCH_INTERVAL_MS) {
    const at = now.toISOString();
    await touchToken(deps.store.db, token.id, at, new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString());
    token.lastUsedAt = at;
  }
  return { ok: true, token, workspace };
}
