import type { Command } from 'commander';
import type { Workspace } from '../store/workspaces.js';
import { listWorkspaces } from '../store/workspaces.js';
import { createWorkspace, updateWorkspace, type WorkspaceInput } from '../workspaces/workspaces.js';
import { cliActor, printJson, withDeps } from './with-deps.js';

interface WorkspaceOptions {
  name?: string;
  domain?: string;
  plan?: string;
  scim?: string;
  json?: boolean;
  database?: string;
}

function toInput(opts: WorkspaceOptions): WorkspaceInput {
  const input: WorkspaceInput = {};
  if (opts.name !== undefined) input.name = opts.name;
  if (opts.domain !== undefined)
    input.domain = opts.domain === '' || opts.domain === 'none' ? null : opts.domain;
  if (opts.plan !== undefined) input.plan = opts.plan;
  if (opts.scim !== undefined) {
    if (opts.scim !== 'on' && opts.scim !== 'off') throw new Error('--scim must be "on" or "off"');
    input.scim = opts.scim === 'on';
  }
  return input;
}

function describe(w: Workspace): string {
  return [
    `workspace ${w.slug} (${w.id})`,
    `  name:   ${w.name}`,
    `  plan:   ${w.plan}`,
    `  scim:   ${w.scimEnabled ? 'on' : 'off'}`,
    `  domain: ${w.domain ?? '-'}`,
  ].join('\n');
}

function withOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'display name')
    .option('--domain <host>', 'custom domain serving this workspace ("none" to clear)')
    .option('--plan <plan>', 'free, team or enterprise')
    .option('--scim <on|off>', 'SCIM provisioning switch (Enterprise only)')
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)');
}

export function registerWorkspaceCommands(program: Command): void {
  const ws = program.command('workspace').description('manage workspaces (tenants)');
  withOptions(
    ws.command('create <slug>').description('create a workspace (plan enterprise and SCIM on by default)'),
  ).action(async (slug: string, opts: WorkspaceOptions) => {
    const input = toInput(opts);
    const w = await withDeps(opts, (deps) => createWorkspace(deps, slug, input, cliActor));
    if (opts.json) printJson(w);
    else process.stdout.write(`${describe(w)}\n`);
  });
  withOptions(ws.command('update <slug>').description('change a workspace')).action(
    async (slug: string, opts: WorkspaceOptions) => {
      const input = toInput(opts);
      const w = await withDeps(opts, (deps) => updateWorkspace(deps, slug, input, cliActor));
      if (opts.json) printJson(w);
      else process.stdout.write(`${describe(w)}\n`);
    },
  );
  ws.command('list')
    .description('list workspaces')
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (opts: { json?: boolean; database?: string }) => {
      const list = await withDeps(opts, (deps) => listWorkspaces(deps.store.db));
      if (opts.json) printJson(list);
      else process.stdout.write(list.length ? `${list.map(describe).join('\n')}\n` : 'no workspaces\n');
    });
}
