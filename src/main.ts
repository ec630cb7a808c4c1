import pino from 'pino';
import { createApp } from './app.js';
import { createToken } from './auth/tokens.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { startPruneJob } from './events/prune.js';
import { createWebhookWorker } from './events/webhook-worker.js';
import { systemClock } from './lib/clock.js';
import { openStore } from './store/db.js';
import { migrateToLatest } from './store/migrate.js';
import { listWorkspaces } from './store/workspaces.js';
import { createWorkspace } from './workspaces/workspaces.js';

/** Opens the store, migrates it, and builds the dependencies every entry point shares. */
export async function buildDeps(config: Config, options: { logToStderr?: boolean } = {}): Promise<Deps> {
  const logger = pino({ level: config.logLevel }, options.logToStderr ? pino.destination(2) : undefined);
  const store = openStore(config.databaseUrl);
  await migrateToLatest(store.db as never);
  return { config, store, clock: systemClock, logger };
}

/** On an empty database: creates workspace `default` and its first token (printed once). */
async function bootstrap(deps: Deps): Promise<{ secret: string } | undefined> {
  const existing = await listWorkspaces(deps.store.db);
  if (existing.length > 0) return undefined;
  const actor = { type: 'system' as const, id: null };
  const workspace = await createWorkspace(deps, 'default', { name: 'Default workspace' }, actor);
  const { secret } = await createToken(deps, workspace, { name: 'Initial token' }, actor);
  return { secret };
}

/** `rollcall serve`: migrate, bootstrap, listen, and shut down cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config, options: { worker?: boolean } = {}): Promise<void> {
  const deps = await buildDeps(config);
  const first = await bootstrap(deps);
  const app = createApp(deps);
  // Webhook delivery and log retention run beside the server, never inside a request; with
  // `--no-worker` they run in a separate `rollcall worker` process instead.
  const worker = options.worker === false ? null : createWebhookWorker(deps);
  worker?.start();
  const prune = options.worker === false ? null : startPruneJob(deps);
  const address = await app.listen({ port: config.port, host: config.host });
  const base = config.publicUrl ?? address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  const lines = [
    '',
    `Rollcall is running on ${deps.store.location}`,
    `  SCIM base URL: ${base}/api/v1/auth/scim`,
  ];
  if (first) {
    lines.push(
      '  A workspace "default" was created. Its first API token (shown once, keep it safe):',
      `    ${first.secret}`,
    );
  } else {
    lines.push('  Create an API token with: npx rollcall token create default');
  }
  lines.push(`  Admin console: ${base}/ (first sign-in: npx rollcall admin invite default you@example.com)`);
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    prune?.stop();
    await app.close();
    await worker?.stop();
    await deps.store.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** `rollcall worker`: webhook delivery and log retention without the HTTP server (scale-out). */
export async function runWorker(config: Config): Promise<void> {
  const deps = await buildDeps(config);
  const worker = createWebhookWorker(deps);
  worker.start();
  const prune = startPruneJob(deps);
  process.stdout.write(`Rollcall worker running on ${deps.store.location}\n`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    prune.stop();
    await worker.stop();
    await deps.store.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
