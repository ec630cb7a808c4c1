// `npm run bench -- [--quick] [--engine sqlite|postgres] …`: starts Rollcall on a fresh database,
// loads a workspace, and prints one line per workload with the bare node:http ceiling beside it.
// See bench/README.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../src/store/db.js';
import { type LoadedUsers, loadByApi, loadFast } from './data.js';
import { runGroupWorkloads, runImport } from './group-workloads.js';
import { type Measure, runLoad } from './load.js';
import { type BenchOptions, HELP, parseOptions } from './options.js';
import {
  cliJson,
  createPgDatabase,
  peakRssMiB,
  rssMiB,
  type Server,
  startCeiling,
  startRollcall,
} from './procs.js';
import { type Row, runUserWorkloads } from './user-workloads.js';

const fmt = (v: number, digits = 0) =>
  Number.isFinite(v)
    ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '-';

function line(row: Row, ceiling: number): string {
  const head = `${row.id.padEnd(4)} ${row.label.padEnd(42)}`;
  if (!row.measure) return `${head} ${row.extra ? `${row.extra}; ` : ''}${row.note ?? ''}`;
  const m = row.measure;
  return [
    head,
    `${fmt(m.rps).padStart(7)} req/s`,
    `(${fmt((100 * m.rps) / ceiling).padStart(3)}% of ceiling)`,
    `p50 ${fmt(m.p50, 2).padStart(7)} ms`,
    `p99 ${fmt(m.p99, 2).padStart(7)} ms`,
    `errors ${m.errors}`,
    `cpu ${fmt(m.cpuPerReq, 3)} ms/req`,
    // What one dedicated core would serve at this CPU cost: robust to other load on the machine.
    `(${fmt(m.cpuPerReq > 0 ? 1000 / m.cpuPerReq : Number.NaN)}/core)`,
    `rss peak ${fmt(m.rssPeak)} MiB`,
    row.extra ? `| ${row.extra}` : '',
  ]
    .join('  ')
    .trimEnd();
}

/** Measures the ceiling: the bare server under the same generator, connections and duration. */
async function measureCeiling(opts: BenchOptions): Promise<Measure> {
  const server = await startCeiling();
  try {
    const spec = {
      url: server.url,
      connections: opts.connections,
      next: () => ({ method: 'GET', path: '/Users' }),
    };
    if (opts.warmup > 0) await runLoad({ ...spec, duration: opts.warmup });
    return await runLoad({ ...spec, duration: opts.duration, pid: server.pid });
  } finally {
    await server.stop();
  }
}

interface Setup {
  databaseUrl: string;
  cleanup: () => Promise<void>;
}

async function createDatabase(engine: Engine): Promise<Setup> {
  if (engine === 'postgres') {
    const db = await createPgDatabase();
    return { databaseUrl: db.url, cleanup: db.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
  return {
    databaseUrl: `sqlite:${join(dir, 'bench.db')}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function loadWorkspace(
  opts: BenchOptions,
  databaseUrl: string,
  workspaceId: string,
  server: () => Promise<Server>,
  token: string,
): Promise<{ server: Server; users: LoadedUsers; how: string }> {
  const t0 = performance.now();
  if (opts.loader === 'fast') {
    let shown = 0;
    const loaded = await loadFast(databaseUrl, workspaceId, {
      prefix: 'user',
      count: opts.users,
      onProgress: (done) => {
        if (done - shown >= 100_000) {
          shown = done;
          process.stderr.write(`  … ${fmt(done)} users (${fmt((performance.now() - t0) / 1000, 1)} s)\n`);
        }
      },
    });
    const s = await server();
    return { server: s, users: loaded, how: `fast loader, ${fmt(opts.users / loaded.seconds)} users/s` };
  }
  const s = await server();
  const loaded = await loadByApi(s.url, token, {
    prefix: 'user',
    count: opts.users,
    connections: opts.connections,
  });
  if (loaded.errors > 0) throw new Error(`loading users by POST /Users: ${loaded.errors} errors`);
  return { server: s, users: loaded, how: `POST /Users, ${fmt(opts.users / loaded.seconds)} users/s` };
}

// Undone on Ctrl-C too: the server child and the throwaway database.
const pending = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void Promise.allSettled([...pending].map((f) => f())).then(() => process.exit(130));
  });
}

async function runEngine(engine: Engine, opts: BenchOptions, ceiling: Measure): Promise<Row[]> {
  const rows: Row[] = [];
  const setup = await createDatabase(engine);
  let server: Server | undefined;
  const undo = async () => {
    await server?.stop();
    await setup.cleanup();
  };
  pending.add(undo);
  try {
    const ws = cliJson<{ id: string }>(['workspace', 'create', 'bench'], setup.databaseUrl);
    const tok = cliJson<{ token: string }>(['token', 'create', 'bench'], setup.databaseUrl);
    // IMP runs in a workspace of its own, so the main workspace stays at N users.
    cliJson<unknown>(['workspace', 'create', 'bench-imp'], setup.databaseUrl);
    const impTok = cliJson<{ token: string }>(['token', 'create', 'bench-imp'], setup.databaseUrl);
    const start = () => startRollcall(setup.databaseUrl, opts.cpuProf ? { cpuProf: opts.cpuProf } : {});
    const loaded = await loadWorkspace(opts, setup.databaseUrl, ws.id, start, tok.token);
    server = loaded.server;
    const idleRss = rssMiB(server.pid);
    process.stdout.write(
      `\n[${engine}] N=${fmt(loaded.users.ids.length)} users loaded by ${loaded.how}; ` +
        `server pid ${server.pid}, RSS ${fmt(idleRss)} MiB after loading; load average ${loadavg()[0]?.toFixed(1)}\n`,
    );
    const emit = (row: Row) => {
      rows.push(row);
      process.stdout.write(`${line(row, ceiling.rps)}\n`);
    };
    const ctx = { base: server.url, token: tok.token, pid: server.pid, users: loaded.users, opts };
    await runUserWorkloads(ctx, emit);
    await runGroupWorkloads(ctx, emit);
    await runImport(ctx, impTok.token, emit);
    process.stdout.write(
      `[${engine}] server peak RSS (VmHWM) ${fmt(peakRssMiB(server.pid))} MiB; now ${fmt(rssMiB(server.pid))} MiB\n`,
    );
  } finally {
    pending.delete(undo);
    await undo();
  }
  return rows;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const t0 = performance.now();
  process.stdout.write(
    `Rollcall bench: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}; ` +
      `N=${fmt(opts.users)} M=${fmt(opts.members)} IMP=${fmt(opts.imp)}, ${opts.connections} connections, ` +
      `${opts.duration} s per workload (+${opts.warmup} s warm-up)\n`,
  );
  const ceiling = await measureCeiling(opts);
  process.stdout.write(
    `${line({ id: 'CEIL', label: 'bare node:http ListResponse', measure: ceiling }, ceiling.rps)}\n`,
  );
  for (const engine of opts.engines) await runEngine(engine, opts, ceiling);
  process.stdout.write(`\ndone in ${fmt((performance.now() - t0) / 1000, 1)} s\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
