import type { Command } from 'commander';
import type { Deps } from '../deps.js';
import { createEndpoint, deleteEndpoint, updateEndpoint } from '../events/webhooks.js';
import { listDeliveries } from '../store/webhook-deliveries.js';
import { listEndpoints } from '../store/webhooks.js';
import { findWorkspace } from '../store/workspaces.js';
import { cliActor, printJson, withDeps } from './with-deps.js';

async function workspaceId(deps: Deps, slug: string): Promise<string> {
  const w = await findWorkspace(deps.store.db, { slug });
  if (!w) throw new Error(`no workspace "${slug}"`);
  return w.id;
}

/** `rollcall webhook …`: the operator's view of webhook endpoints (the REST API has the same). */
export function registerWebhookCommands(program: Command): void {
  const webhook = program.command('webhook').description('manage webhook endpoints');
  webhook
    .command('create <workspace-slug> <url>')
    .description('register an endpoint; the signing secret is printed once')
    .option('--events <list>', 'comma-separated event types or patterns (user.*, group.created; default *)')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, url: string, opts: { events?: string; database?: string }) => {
      const out = await withDeps(opts, async (deps) =>
        createEndpoint(
          deps,
          await workspaceId(deps, slug),
          { url, ...(opts.events ? { eventTypes: opts.events.split(',').map((t) => t.trim()) } : {}) },
          cliActor,
        ),
      );
      printJson({ ...out.endpoint, secret: out.secret });
    });
  webhook
    .command('list <workspace-slug>')
    .description('list endpoints (with why a disabled one was disabled)')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, opts: { database?: string }) => {
      printJson(
        await withDeps(opts, async (deps) => listEndpoints(deps.store.db, await workspaceId(deps, slug))),
      );
    });
  webhook
    .command('enable <workspace-slug> <endpoint-id>')
    .description('enable an endpoint again (clears the reason it was disabled)')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, id: string, opts: { database?: string }) => {
      const e = await withDeps(opts, async (deps) =>
        updateEndpoint(deps, await workspaceId(deps, slug), id, { enabled: true }, cliActor),
      );
      if (!e) throw new Error(`no endpoint "${id}" in workspace "${slug}"`);
      printJson(e);
    });
  webhook
    .command('deliveries <workspace-slug> <endpoint-id>')
    .description('the delivery log: recent deliveries and their attempts')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, id: string, opts: { database?: string }) => {
      printJson(
        await withDeps(opts, async (deps) =>
          listDeliveries(deps.store.db, await workspaceId(deps, slug), id, { limit: 50 }),
        ),
      );
    });
  webhook
    .command('delete <workspace-slug> <endpoint-id>')
    .description('remove an endpoint and its delivery log')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, id: string, opts: { database?: string }) => {
      const ok = await withDeps(opts, async (deps) =>
        deleteEndpoint(deps, await workspaceId(deps, slug), id, cliActor),
      );
      if (!ok) throw new Error(`no endpoint "${id}" in workspace "${slug}"`);
    });
}
