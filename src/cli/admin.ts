import type { Command } from 'commander';
import { inviteAdmin, parseAdminRole } from '../auth/admins.js';
import type { Config } from '../config.js';
import { findWorkspace } from '../store/workspaces.js';
import { cliActor, printJson, withDeps } from './with-deps.js';

/** Where the console is reached: PUBLIC_URL, else the address `rollcall serve` listens on. */
export function consoleBaseUrl(config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('manage admin console accounts');
  admin
    .command('invite <workspace-slug> <email>')
    .description('print a one-time link (valid 24 hours) with which <email> sets a password and signs in')
    .option('--role <role>', 'Admin, Editor or Viewer', 'Admin')
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(
      async (slug: string, email: string, opts: { role?: string; json?: boolean; database?: string }) => {
        const role = parseAdminRole(opts.role);
        const out = await withDeps(opts, async (deps) => {
          const w = await findWorkspace(deps.store.db, { slug });
          if (!w) throw new Error(`no workspace "${slug}"`);
          const created = await inviteAdmin(deps, w, { email, role }, cliActor);
          return { ...created, link: `${consoleBaseUrl(deps.config)}/invite/${created.token}` };
        });
        if (opts.json) {
          printJson({
            email: out.invite.email,
            role: out.invite.role,
            expiresAt: out.invite.expiresAt,
            link: out.link,
          });
          return;
        }
        process.stdout.write(
          `Invitation for ${out.invite.email} (${out.invite.role} of ${slug}), valid until ${out.invite.expiresAt}:\n` +
            `  ${out.link}\n` +
            'Open it once to set a password; it then stops working.\n',
        );
      },
    );
}
