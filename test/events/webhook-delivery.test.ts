import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { Deps } from '../../src/deps.js';
import { type Actor, appendEvents } from '../../src/events/append.js';
import { backoffMs, createWebhookWorker } from '../../src/events/webhook-worker.js';
import { createEndpoint, redeliver, updateEndpoint } from '../../src/events/webhooks.js';
import { openStore } from '../../src/store/db.js';
import { listDeliveries } from '../../src/store/webhook-deliveries.js';
import { findEndpoint } from '../../src/store/webhooks.js';
import type { Workspace } from '../../src/store/workspaces.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { createTestDeps, describeEngines } from '../helpers/engines.js';
import { startReceiver, waitFor } from './receiver.js';

const system: Actor = { type: 'system', id: null };
const fast = {
  webhookAllowPrivate: true,
  webhookRetryBaseMs: 40,
  webhookRetryMaxMs: 200,
  webhookTimeoutMs: 300,
  webhookPollMs: 20,
};

async function emit(deps: Deps, ws: Workspace, events: { type: string; id: string }[]): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    await appendEvents(
      trx,
      ws.id,
      system,
      events.map((e) => ({ type: e.type, resourceType: 'User', resourceId: e.id, data: { id: e.id } })),
      new Date().toISOString(),
    );
  });
}

it('backs off exponentially with jitter, capped', () => {
  assert.equal(
    backoffMs(1, 30_000, 3_600_000, () => 0.5),
    30_000,
  );
  assert.equal(
    backoffMs(3, 30_000, 3_600_000, () => 0.5),
    120_000,
  );
  assert.equal(
    backoffMs(20, 30_000, 3_600_000, () => 0.5),
    3_600_000,
  );
  assert.ok(backoffMs(1, 30_000, 3_600_000, () => 0) >= 24_000);
});

describeEngines('webhook delivery', (engine) => {
  let deps: Deps;
  let close: () => Promise<void>;
  let n = 0;
  before(async () => {
    ({ deps, close } = await createTestDeps(engine, fast));
  });
  after(async () => close());

  const workspace = async () => createWorkspace(deps, `ws-${++n}`, {}, system);

  it('signs each event per Standard Webhooks; the receiver verifies it', async () => {
    const rx = await startReceiver();
    const ws = await workspace();
    const { secret, endpoint } = await createEndpoint(
      deps,
      ws.id,
      { url: rx.url, eventTypes: ['user.*'] },
      system,
    );
    assert.match(secret, /^whsec_/);
    await emit(deps, ws, [
      { type: 'user.created', id: 'u1' },
      { type: 'user.updated', id: 'u1' },
    ]);
    const worker = createWebhookWorker(deps);
    worker.start();
    await waitFor(() => rx.received.length >= 2, 5000, 'two deliveries');
    await worker.stop();
    await rx.close();
    const hook = new Webhook(secret);
    for (const r of rx.received) {
      const verified = hook.verify(r.body, r.headers as Record<string, string>) as { id: string };
      assert.equal(verified.id, r.headers['webhook-id']);
    }
    assert.deepEqual(
      rx.received.map((r) => r.json.type),
      ['user.created', 'user.updated'],
    );
    const log = await listDeliveries(deps.store.db, ws.id, endpoint.id, { limit: 10 });
    assert.equal(log.length, 2, 'the webhook.created event itself is before the endpoint existed');
    assert.ok(log.every((d) => d.status === 'delivered' && d.log.length === 1 && d.log[0]?.status === 200));
    assert.throws(() =>
      new Webhook('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').verify(
        rx.received[0]!.body,
        rx.received[0]!.headers as Record<string, string>,
      ),
    );
  });

  it('retries after 500s and after timeouts, logging each attempt', async () => {
    const rx = await startReceiver((_r, i) => (i === 1 ? 500 : i === 2 ? 'hang' : 200));
    const ws = await workspace();
    const { endpoint } = await createEndpoint(deps, ws.id, { url: rx.url }, system);
    await emit(deps, ws, [{ type: 'user.created', id: 'u1' }]);
    const worker = createWebhookWorker(deps);
    worker.start();
    await waitFor(
      async () => {
        const [d] = await listDeliveries(deps.store.db, ws.id, endpoint.id, { limit: 1 });
        return d?.status === 'delivered';
      },
      8000,
      'delivered after retries',
    );
    await worker.stop();
    await rx.close();
    const [d] = await listDeliveries(deps.store.db, ws.id, endpoint.id, { limit: 1 });
    assert.equal(d?.attempts, 3);
    assert.deepEqual(
      d?.log.map((a) => a.status),
      [500, null, 200],
    );
    assert.match(d?.log[1]?.error ?? '', /Timed out/);
    assert.ok(d?.log[0]?.nextRetryAt, 'a failed attempt shows its next retry');
    assert.equal(new Set(rx.received.map((r) => r.id)).size, 1, 'the same webhook-id on every retry');
  });

  it('delivers in order per resource: n+1 waits for n to succeed', async () => {
    let failuresLeft = 3;
    const rx = await startReceiver((r) => {
      if (r.json.resource?.id === 'a' && r.json.type === 'user.created' && failuresLeft > 0) {
        failuresLeft--;
        return 503;
      }
      return 200;
    });
    const ws = await workspace();
    await createEndpoint(deps, ws.id, { url: rx.url }, system);
    await emit(deps, ws, [
      { type: 'user.created', id: 'a' },
      { type: 'user.updated', id: 'a' },
      { type: 'user.created', id: 'b' },
      { type: 'user.deleted', id: 'a' },
    ]);
    const worker = createWebhookWorker(deps);
    worker.start();
    await waitFor(
      () => rx.received.filter((r) => r.headers['webhook-id'] && r.json.resource?.id === 'a').length >= 6,
      8000,
      'a delivered',
    );
    await worker.stop();
    await rx.close();
    const okA = rx.received.filter((r) => r.json.resource?.id === 'a');
    assert.deepEqual(
      okA.map((r) => r.json.type),
      ['user.created', 'user.created', 'user.created', 'user.created', 'user.updated', 'user.deleted'],
    );
    const bIndex = rx.received.findIndex((r) => r.json.resource?.id === 'b');
    const aUpdated = rx.received.findIndex((r) => r.json.type === 'user.updated');
    assert.ok(bIndex >= 0, 'b was delivered');
    assert.ok(bIndex < aUpdated, 'another resource is not held up');
  });

  it('fails a delivery after the retry window and disables the endpoint with a reason', async () => {
    const rx = await startReceiver(() => 500);
    const ws = await workspace();
    const { endpoint } = await createEndpoint(deps, ws.id, { url: rx.url }, system);
    await emit(deps, ws, [{ type: 'user.created', id: 'x' }]);
    const worker = createWebhookWorker({ ...deps, config: { ...deps.config, webhookRetryWindowMs: 150 } });
    worker.start();
    await waitFor(
      async () => !(await findEndpoint(deps.store.db, ws.id, endpoint.id))?.enabled,
      8000,
      'disabled',
    );
    await worker.stop();
    await rx.close();
    const ep = await findEndpoint(deps.store.db, ws.id, endpoint.id);
    assert.match(ep?.disabledReason ?? '', /last error: HTTP 500/);
    const [d] = await listDeliveries(deps.store.db, ws.id, endpoint.id, { limit: 1 });
    assert.equal(d?.status, 'failed');

    // The admin fixes the receiver, enables the endpoint again and redelivers by hand.
    const fixed = await startReceiver(() => 200);
    const again = await updateEndpoint(deps, ws.id, endpoint.id, { url: fixed.url, enabled: true }, system);
    assert.equal(again?.disabledReason, null);
    assert.equal(await redeliver(deps, ws.id, endpoint.id, d?.id ?? ''), true);
    assert.equal(await redeliver(deps, ws.id, endpoint.id, 'nope'), false);
    const w2 = createWebhookWorker(deps);
    w2.start();
    await waitFor(() => fixed.received.length >= 1, 5000, 'redelivered');
    await w2.stop();
    await fixed.close();
    const [after] = await listDeliveries(deps.store.db, ws.id, endpoint.id, { limit: 1 });
    assert.equal(after?.status, 'delivered');
    assert.equal(after?.log.at(-1)?.status, 200);
  });

  if (engine === 'postgres') {
    it('two workers on one PostgreSQL database never deliver an event twice', async () => {
      const rx = await startReceiver();
      const ws = await workspace();
      await createEndpoint(deps, ws.id, { url: rx.url }, system);
      const total = 300;
      for (let i = 0; i < total; i += 50) {
        await emit(
          deps,
          ws,
          Array.from({ length: 50 }, (_, j) => ({ type: 'user.created', id: `p${i + j}` })),
        );
      }
      // A second process is modelled by a second pool and worker on the same database.
      const other = openStore(deps.config.databaseUrl, { poolSize: 5 });
      const a = createWebhookWorker(deps, { batch: 16 });
      const b = createWebhookWorker({ ...deps, store: other }, { batch: 16 });
      a.start();
      b.start();
      await waitFor(() => rx.received.length >= total, 20_000, 'all delivered');
      await new Promise((r) => setTimeout(r, 200));
      await a.stop();
      await b.stop();
      await other.close();
      await rx.close();
      const ids = rx.received.map((r) => r.id);
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, total);
    });
  }
});
