import type { Command } from 'commander';
import { withDeps } from './with-deps.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (serve does this too)')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (opts: { database?: string }) => {
      await withDeps(opts, async (deps) => {
        process.stdout.write(`database ${deps.store.location} is up to date\n`);
      });
    });
}
