import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { serve } from '../main.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP server (migrates the database first)')
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--database <url>', 'database URL (env DATABASE_URL, default sqlite:./data/rollcall.db)')
    .action(async (opts: { port?: string; host?: string; database?: string }) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new Error(`--port must be a port number, got "${opts.port}"`);
      }
      const config = loadConfig(process.env, {
        ...(port !== undefined ? { port } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.database ? { databaseUrl: opts.database } : {}),
      });
      await serve(config);
    });
}
