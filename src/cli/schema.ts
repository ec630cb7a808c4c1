import type { Command } from 'commander';
import type { Deps } from '../deps.js';
import { parseAttributeSpec } from '../scim/extension-schema.js';
import type { SchemaExtensionRecord } from '../store/extensions.js';
import { findWorkspace, type Workspace } from '../store/workspaces.js';
import { deleteExtension, listWorkspaceExtensions, registerExtension } from '../workspaces/extensions.js';
import { cliActor, printJson, withDeps } from './with-deps.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function workspaceBySlug(deps: Deps, slug: string): Promise<Workspace> {
  const w = await findWorkspace(deps.store.db, { slug });
  if (!w) throw new Error(`no workspace "${slug}"`);
  return w;
}

function describe(e: SchemaExtensionRecord): string {
  const attrs = e.attributes.map((a) => {
    const flags = [
      a.multiValued ? 'multi' : '',
      a.required ? 'required' : '',
      a.caseExact ? 'caseExact' : '',
    ].filter(Boolean);
    return `    ${a.name}: ${a.type}${flags.length ? ` (${flags.join(', ')})` : ''}`;
  });
  return [`${e.urn}  [${e.resourceType}]  ${e.name}  registered ${e.createdAt}`, ...attrs].join('\n');
}

/** `rollcall schema add|list|remove`: custom SCIM schema extensions of a workspace. */
export function registerSchemaCommands(program: Command): void {
  const schema = program.command('schema').description('manage custom SCIM schema extensions of a workspace');
  schema
    .command('add <workspace-slug> <urn>')
    .description(
      'register an extension schema, e.g. --resource User --attribute team:string --attribute level:integer:required',
    )
    .option('--resource <type>', 'User or Group', 'User')
    .option(
      '--attribute <name:type[:multi][:required][:caseExact]>',
      'an attribute (repeatable); types: string, boolean, integer, decimal, dateTime, reference',
      collect,
      [],
    )
    .option('--name <name>', 'a display name for the schema')
    .option('--description <text>', 'a description')
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(
      async (
        slug: string,
        urn: string,
        opts: {
          resource: string;
          attribute: string[];
          name?: string;
          description?: string;
          json?: boolean;
          database?: string;
        },
      ) => {
        const attributes = opts.attribute.map(parseAttributeSpec);
        const record = await withDeps(opts, async (deps) =>
          registerExtension(
            deps,
            await workspaceBySlug(deps, slug),
            {
              urn,
              resourceType: opts.resource,
              attributes,
              ...(opts.name !== undefined ? { name: opts.name } : {}),
              ...(opts.description !== undefined ? { description: opts.description } : {}),
            },
            cliActor,
          ),
        );
        if (opts.json) printJson(record);
        else process.stdout.write(`registered ${describe(record)}\n`);
      },
    );
  schema
    .command('list <workspace-slug>')
    .description("list a workspace's custom schema extensions")
    .option('--json', 'print JSON')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, opts: { json?: boolean; database?: string }) => {
      const list = await withDeps(opts, async (deps) =>
        listWorkspaceExtensions(deps, (await workspaceBySlug(deps, slug)).id),
      );
      if (opts.json) return printJson(list);
      for (const e of list) process.stdout.write(`${describe(e)}\n`);
      if (list.length === 0) process.stdout.write('no custom schema extensions\n');
    });
  schema
    .command('remove <workspace-slug> <urn>')
    .description('unregister an extension (stored values are kept, hidden until it is registered again)')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (slug: string, urn: string, opts: { database?: string }) => {
      const deleted = await withDeps(opts, async (deps) =>
        deleteExtension(deps, await workspaceBySlug(deps, slug), urn, cliActor),
      );
      if (!deleted) throw new Error(`no extension "${urn}" in workspace "${slug}"`);
      process.stdout.write(`extension ${deleted.urn} removed\n`);
    });
}
