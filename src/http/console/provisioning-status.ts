import type { Deps } from '../../deps.js';
import { provisioningSummary } from '../../store/console-logs.js';
import { providerFromUserAgent } from './context.js';

export interface ProvisioningStatus {
  source: 'provisioning-log';
  lastRequestAt: string | null;
  /** The latest SCIM request: what it asked and how it was answered. */
  lastRequest?: { method: string; path: string; status: number } | null;
  provider: string | null;
  requests24h: number | null;
  errors24h: number | null;
}

const DAY_MS = 24 * 3_600_000;

/** The SCIM status panel's figures from the provisioning log: last request, its provider, 24-hour errors. */
export async function provisioningStatus(
  deps: Deps,
  workspaceId: string,
  now: Date,
): Promise<ProvisioningStatus> {
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const s = await provisioningSummary(deps.store.db, workspaceId, since);
  return {
    source: 'provisioning-log',
    lastRequestAt: s.last?.createdAt ?? null,
    lastRequest: s.last ? { method: s.last.method, path: s.last.path, status: s.last.status } : null,
    provider: s.last ? providerFromUserAgent(s.last.userAgent) : null,
    requests24h: s.requests,
    errors24h: s.errors,
  };
}
