import type { Command } from 'commander';
import type { Deps } from '../deps.js';
import { confirmDeprovisions, guardStatus, setGuardEnabled } from '../directory/deprovision-guard.js';
import { parseRole, ROLES, setGroupRole } from '../directory/roles.js';
import { findWorkspace, type Workspace } from '../store/workspaces.js';
import { cliActor, printJson, withDeps } from './with-deps.js';

async function workspaceOf(deps: Deps, slug: string): Promise<Workspace> {
  const w = await findWorkspace(deps.store.db, { slug });
  if (!w) throw new Error(`no workspace "${slug}"`);
  return w;
}

/** `rollcall group role …` (group → workspace role mapping) and `rollcall guard …` (mass-deprovisioning guard). */
export function registerGroupCommands(program: Command): void {
  const group = program.command('group').description('workspace groups provisioned over SCIM');
  group
    .command('role <workspace-slug> <group-id> <role>')
    .description(`map a group (by id, never by name) to a role: ${ROLES.join(', ')}, or none`)
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, groupId: string, raw: string, opts: { database?: string }) => {
      const role = parseRole(raw);
      if (role === undefined)
        throw new Error(`role must be one of ${ROLES.join(', ')} or none, got "${raw}"`);
      const out = await withDeps(opts, async (deps) => {
        const workspace = await workspaceOf(deps, slug);
        return setGroupRole(deps, { workspace, actor: cliActor }, groupId, role);
      });
      process.stdout.write(`group ${groupId}: role ${role ?? 'none'} (was ${out.previous ?? 'none'})\n`);
    });

  const guard = program.command('guard').description('the mass-deprovisioning guard of a workspace');
  const print = (s: Awaited<ReturnType<typeof guardStatus>>, json?: boolean) => {
    if (json) return printJson(s);
    process.stdout.write(
      `guard ${s.enabled ? 'on' : 'off'}: ${s.count}/${s.threshold} suspensions or deletions counted (window ${s.windowMinutes} min)` +
        `${s.pendingSince ? `; refusing since ${s.pendingSince} (${s.refused} refused)` : ''}` +
        `${s.confirmedAt ? `; last confirmed ${s.confirmedAt}` : ''}\n`,
    );
  };
  guard
    .command('status <workspace-slug>')
    .description('show the guard: count in the window, pending refusal')
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, opts: { json?: boolean; database?: string }) => {
      print(
        await withDeps(opts, async (deps) => guardStatus(deps, await workspaceOf(deps, slug))),
        opts.json,
      );
    });
  guard
    .command('confirm <workspace-slug>')
    .description(
      'confirm the pending deprovisioning: lets the next <threshold> suspensions or deletions through',
    )
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, opts: { json?: boolean; database?: string }) => {
      print(
        await withDeps(opts, async (deps) =>
          confirmDeprovisions(deps, await workspaceOf(deps, slug), cliActor),
        ),
        opts.json,
      );
    });
  for (const [name, enabled] of [
    ['on', true],
    ['off', false],
  ] as const) {
    guard
      .command(`${name} <workspace-slug>`)
      .description(`switch the guard ${name}`)
      .option('--database <url>', 'database URL (env DATABASE_URL)')
      .action(async (slug: string, opts: { database?: string }) => {
        await withDeps(opts, async (deps) =>
          setGuardEnabled(deps, await workspaceOf(deps, slug), enabled, cliActor),
        );
        process.stdout.write(`guard ${name} for ${slug}\n`);
      });
  }
}
