import { Webhook } from 'standardwebhooks';
import type { Deps } from '../deps.js';
import { newId } from '../lib/ids.js';
import { type AttemptResult, type DeliveryOutcome, recordAttempts } from '../store/webhook-deliveries.js';
import {
  type ClaimedDelivery,
  claimDueDeliveries,
  endpointsBehind,
  fanOutEndpoint,
} from '../store/webhooks.js';
import { matchesEventTypes } from './catalog.js';
import { checkWebhookUrl } from './webhook-url.js';

// The delivery loop beside the server (the outbox relay): fan events out to delivery rows after each
// endpoint's cursor, claim due rows under a lease, POST them signed per Standard Webhooks, record the
// attempt. At least once: a worker killed mid-POST leaves a lease that expires, and the row is sent again.

const FAN_OUT_BATCH = 500;
const SNIPPET = 512;

export interface WebhookWorker {
  start(): void;
  /** Stops polling and waits for the deliveries in flight. */
  stop(): Promise<void>;
  /** One pass: fan out, then claim and deliver one batch. Returns how many deliveries were attempted. */
  tick(): Promise<number>;
}

export interface WorkerOptions {
  /** Deliveries claimed (and sent concurrently) per pass. */
  batch?: number;
}

/** Delay before retry n (1-based): base × 2^(n-1), capped, with ±20 % jitter so retries spread out. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** The JSON body of a delivery: the event as the feed shows it. */
export function webhookPayload(d: ClaimedDelivery): string {
  const e = d.event;
  return JSON.stringify({
    id: e.id,
    type: e.type,
    position: e.position,
    workspaceId: d.workspaceId,
    resource: e.resourceId ? { type: e.resourceType, id: e.resourceId } : null,
    actor: { type: e.actorType, id: e.actorId },
    data: JSON.parse(e.data) as unknown,
    createdAt: e.createdAt,
  });
}

/** Builds the worker; several may run against one PostgreSQL database without double delivery. */
export function createWebhookWorker(deps: Deps, options: WorkerOptions = {}): WebhookWorker {
  const { config, store, clock, logger } = deps;
  const batch = options.batch ?? 64;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function fanOut(): Promise<void> {
    const endpoints = await endpointsBehind(store.db);
    for (const ref of endpoints) {
      for (;;) {
        const now = clock.now().toISOString();
        const n = await fanOutEndpoint(store.db, store.engine, ref, {
          now,
          batch: FAN_OUT_BATCH,
          newId,
          accept: matchesEventTypes,
        });
        if (n < FAN_OUT_BATCH) break;
      }
    }
  }

  async function send(d: ClaimedDelivery): Promise<AttemptResult> {
    const started = clock.now();
    let status: number | null = null;
    let error: string | null = null;
    let snippet: string | null = null;
    const t0 = performance.now();
    try {
      const payload = webhookPayload(d);
      // Checked again at send time: DNS may now point the host somewhere internal.
      const check = await checkWebhookUrl(d.url, { allowPrivate: config.webhookAllowPrivate });
      if (!check.ok) throw new Error(check.reason);
      const signature = new Webhook(d.secret).sign(d.event.id, started, payload);
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Rollcall-Webhooks/1',
          'webhook-id': d.event.id,
          'webhook-timestamp': String(Math.floor(started.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(config.webhookTimeoutMs),
      });
      status = res.status;
      snippet = (await res.text()).slice(0, SNIPPET);
    } catch (e) {
      const err = e as Error;
      error = err.name === 'TimeoutError' ? `Timed out after ${config.webhookTimeoutMs} ms` : err.message;
    }
    const latencyMs = Math.round(performance.now() - t0);
    const at = clock.now();
    const attempt = d.attempts + 1;
    const firstAttemptAt = d.firstAttemptAt ?? started.toISOString();
    let outcome: DeliveryOutcome;
    if (status !== null && status >= 200 && status < 300) {
      outcome = { kind: 'delivered' };
    } else if (at.getTime() - Date.parse(firstAttemptAt) >= config.webhookRetryWindowMs) {
      const last = error ?? `HTTP ${status}`;
      outcome = {
        kind: 'failed',
        disableReason: `Deliveries failed since ${firstAttemptAt} (${attempt} attempts); last error: ${last}`,
      };
    } else {
      const delay = backoffMs(attempt, config.webhookRetryBaseMs, config.webhookRetryMaxMs);
      outcome = { kind: 'retry', nextAttemptAt: new Date(at.getTime() + delay).toISOString() };
    }
    return {
      workspaceId: d.workspaceId,
      endpointId: d.endpointId,
      deliveryId: d.id,
      eventId: d.event.id,
      attempt,
      status,
      error,
      latencyMs,
      responseSnippet: snippet,
      at: at.toISOString(),
      firstAttemptAt,
      outcome,
    };
  }

  async function tick(): Promise<number> {
    await fanOut();
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + config.webhookTimeoutMs + 30_000).toISOString();
    const claimed = await claimDueDeliveries(store.db, store.engine, {
      now: now.toISOString(),
      leaseUntil,
      limit: batch,
    });
    // send() never throws (errors become the attempt's result); if this write fails, the leases
    // expire and the batch is sent again: at least once.
    const results = await Promise.all(claimed.map(send));
    await recordAttempts(store.db, results, newId);
    return claimed.length;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        // Work found: go again at once (the next event of a resource just became due); idle: poll.
        .then((n) => schedule(n > 0 ? 0 : config.webhookPollMs))
        .catch((e: unknown) => {
          logger.error({ err: e }, 'webhook worker pass failed');
          schedule(config.webhookPollMs);
        });
    }, delay);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
    tick,
  };
}
