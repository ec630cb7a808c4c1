import type { Deps } from '../deps.js';
import { pruneEvents } from '../store/events.js';
import { pruneProvisioningLog } from '../store/provisioning-log.js';
import { pruneDeliveries } from '../store/webhook-deliveries.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Deletes what is past retention: events (the audit log), finished deliveries, provisioning log. */
export async function pruneLogs(
  deps: Deps,
): Promise<{ events: number; deliveries: number; provisioning: number }> {
  const now = deps.clock.now().getTime();
  const auditCutoff = new Date(now - deps.config.auditRetentionDays * DAY_MS).toISOString();
  const logCutoff = new Date(now - deps.config.provisioningLogRetentionDays * DAY_MS).toISOString();
  const provisioning = await pruneProvisioningLog(deps.store.db, logCutoff);
  // Delivery logs are kept as long as the provisioning log: both are operational, not audit, records.
  const deliveries = await pruneDeliveries(deps.store.db, logCutoff);
  const events = await pruneEvents(deps.store.db, auditCutoff);
  return { events, deliveries, provisioning };
}

/** Runs pruneLogs every hour (unref'd) beside the server; never inside a request. */
export function startPruneJob(deps: Deps, intervalMs = HOUR_MS): { stop(): void } {
  const run = () =>
    pruneLogs(deps)
      .then((r) => {
        if (r.events + r.deliveries + r.provisioning > 0) deps.logger.info(r, 'pruned logs past retention');
      })
      .catch((e: unknown) => deps.logger.error({ err: e }, 'log prune failed'));
  const first = setTimeout(run, 10_000);
  first.unref();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
