import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config.js';
import { registerAdminCommands } from './admin.js';
import { registerGroupCommands } from './group.js';
import { registerMigrateCommand } from './migrate.js';
import { registerSchemaCommands } from './schema.js';
import { registerServeCommand, registerWorkerCommand } from './serve.js';
import { registerTokenCommands } from './token.js';
import { registerWebhookCommands } from './webhook.js';
import { registerWorkspaceCommands } from './workspace.js';

/** The `rollcall` command line. */
export function buildProgram(): Command {
  const program = new Command('rollcall')
    .description('Rollcall: a multi-tenant SCIM 2.0 directory server')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServeCommand(program);
  registerWorkerCommand(program);
  registerMigrateCommand(program);
  registerWorkspaceCommands(program);
  registerTokenCommands(program);
  registerWebhookCommands(program);
  registerSchemaCommands(program);
  registerAdminCommands(program);
  registerGroupCommands(program);
  return program;
}

/** The config for a command: env, then `--database`. */
export function configFor(options: { database?: string }) {
  return loadConfig(process.env, options.database ? { databaseUrl: options.database } : {});
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`rollcall: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
