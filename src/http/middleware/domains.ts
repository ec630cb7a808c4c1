import type { Deps } from '../../deps.js';
import { findWorkspace } from '../../store/workspaces.js';

/** Host → workspace id for custom domains, cached briefly so each request does not ask the database. */
export interface DomainResolver {
  workspaceIdFor(host: string): Promise<string | undefined>;
  forget(): void;
}

export function createDomainResolver(deps: Deps, ttlMs = 5_000): DomainResolver {
  const cache = new Map<string, { id: string | undefined; at: number }>();
  return {
    async workspaceIdFor(host) {
      if (!host) return undefined;
      const now = Date.now();
      const hit = cache.get(host);
      if (hit && now - hit.at < ttlMs) return hit.id;
      const w = await findWorkspace(deps.store.db, { domain: host });
      if (cache.size > 10_000) cache.clear();
      cache.set(host, { id: w?.id, at: now });
      return w?.id;
    },
    forget() {
      cache.clear();
    },
  };
}
