import type { Command } from 'commander';
import { createToken, parseScopes, revokeToken } from '../auth/tokens.js';
import { loadConfig } from '../config.js';
import { listTokens } from '../store/tokens.js';
import { findWorkspace, type Workspace } from '../store/workspaces.js';
import { cliActor, printJson, withDeps } from './with-deps.js';

function scimUrl(w: Workspace): string {
  const config = loadConfig();
  const base = w.domain
    ? `https://${w.domain}`
    : (config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`);
  return `${base}/api/v1/auth/scim`;
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('manage API tokens (SCIM and REST API)');
  token
    .command('create <workspace-slug>')
    .description('create an API token; the secret is printed once')
    .option('--name <name>', 'a name to recognise it by')
    .option('--scopes <list>', 'comma-separated: scim, api:read, api:write (default all)')
    .option('--expires <date>', 'expiry date (ISO 8601)')
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(
      async (
        slug: string,
        opts: { name?: string; scopes?: string; expires?: string; json?: boolean; database?: string },
      ) => {
        const scopes = parseScopes(opts.scopes);
        const out = await withDeps(opts, async (deps) => {
          const w = await findWorkspace(deps.store.db, { slug });
          if (!w) throw new Error(`no workspace "${slug}"`);
          const created = await createToken(
            deps,
            w,
            { ...(opts.name ? { name: opts.name } : {}), scopes, expiresAt: opts.expires ?? null },
            cliActor,
          );
          return { ...created, workspace: w };
        });
        const url = scimUrl(out.workspace);
        if (opts.json) {
          printJson({
            id: out.token.id,
            token: out.secret,
            name: out.token.name,
            scopes: out.token.scopes,
            expiresAt: out.token.expiresAt,
            workspace: out.workspace.slug,
            workspaceId: out.workspace.id,
            scimUrl: url,
          });
        } else {
          process.stdout.write(
            `token ${out.token.id} (${out.token.name}, scopes ${out.token.scopes.join(',')})\n` +
              `  secret (shown once): ${out.secret}\n  SCIM base URL: ${url}\n`,
          );
        }
      },
    );
  token
    .command('list <workspace-slug>')
    .description("list a workspace's tokens (never their secrets)")
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, opts: { json?: boolean; database?: string }) => {
      const list = await withDeps(opts, async (deps) => {
        const w = await findWorkspace(deps.store.db, { slug });
        if (!w) throw new Error(`no workspace "${slug}"`);
        return listTokens(deps.store.db, w.id);
      });
      if (opts.json) return printJson(list);
      for (const t of list) {
        const state = t.revokedAt
          ? 'revoked'
          : t.expiresAt && Date.parse(t.expiresAt) < Date.now()
            ? 'expired'
            : 'active';
        process.stdout.write(
          `${t.id}  ${t.prefix}…  ${t.name}  [${t.scopes.join(',')}]  ${state}  created ${t.createdAt}  last used ${t.lastUsedAt ?? 'never'}\n`,
        );
      }
      if (list.length === 0) process.stdout.write('no tokens\n');
    });
  token
    .command('revoke <token-id>')
    .description('revoke a token; it stops working on the next request')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (id: string, opts: { database?: string }) => {
      const t = await withDeps(opts, (deps) => revokeToken(deps, id, cliActor));
      if (!t) throw new Error(`no token "${id}"`);
      process.stdout.write(`token ${id} revoked\n`);
    });
}
