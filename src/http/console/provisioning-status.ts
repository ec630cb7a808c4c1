import type { Deps } from '../../deps.js';

export interface ProvisioningStatus {
  source: 'provisioning-log' | 'events';
  lastRequestAt: string | null;
  provider: string | null;
  requests24h: number | null;
  errors24h: number | null;
}

/** The SCIM status panel's figures from the provisioning log; undefined until that log exists. */
export async function provisioningStatus(
  _deps: Deps,
  _workspaceId: string,
  _now: Date,
): Promise<ProvisioningStatus | undefined> {
  return undefined;
}
