import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { runWorker, serve } from '../main.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP server (migrates the database first)')
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--database <url>', 'database URL (env DATABASE_URL, default sqlite:./data/rollcall.db)')
    .option('--no-worker', 'do not deliver webhooks in this process (run `rollcall worker` beside it)')
    .action(async (opts: { port?: string; host?: string; database?: string; worker: boolean }) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new Error(`--port must be a port number, got "${opts.port}"`);
      }
      const config = loadConfig(process.env, {
        ...(port !== undefined ? { port } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.database ? { databaseUrl: opts.database } : {}),
      });
      await serve(config, { worker: opts.worker });
    });
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('deliver webhooks and prune logs, without serving HTTP (pair with `serve --no-worker`)')
    .option('--database <url>', 'database URL (env DATABASE_URL)')
    .action(async (opts: { database?: string }) => {
      await runWorker(loadConfig(process.env, opts.database ? { databaseUrl: opts.database } : {}));
    });
}
