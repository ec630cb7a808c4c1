// Child processes of a benchmark run: the Rollcall server, the ceiling server, the CLI, and what
// /proc says about them (CPU ticks, resident memory).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/rollcall.js', import.meta.url));
const CEILING = fileURLToPath(new URL('./ceiling.ts', import.meta.url));

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Server {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not become healthy: ${stderr()}`);
}

function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  healthUrl: string,
  base: string,
): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return waitForHealth(healthUrl, child, () => err).then(
    () => ({ pid: child.pid ?? 0, url: base, stop }),
    async (e: unknown) => {
      await stop();
      throw e;
    },
  );
}

/** Starts `rollcall serve` on a free port with rate limiting off (and a CPU profile when asked). */
export async function startRollcall(
  databaseUrl: string,
  options: { cpuProf?: string } = {},
): Promise<Server> {
  const port = await freePort();
  const node = options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProf] : [];
  const env = { ...process.env, RATE_LIMIT_RPS: '0', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl };
  const base = `http://127.0.0.1:${port}`;
  const args = [
    ...node,
    BIN,
    'serve',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--database',
    databaseUrl,
  ];
  return startChild(args, env, `${base}/healthz`, base);
}

/** Starts the bare node:http ceiling server (bench/ceiling.ts). */
export async function startCeiling(): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  return startChild(['--import', 'tsx', CEILING, String(port)], process.env, `${base}/healthz`, base);
}

/** Runs a `rollcall` CLI command with `--json --database URL` and parses its output. */
export function cliJson<T>(args: string[], databaseUrl: string): T {
  const out = execFileSync(process.execPath, [BIN, ...args, '--json', '--database', databaseUrl], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as T;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in milliseconds (proc(5): fields 14 and 15 of /proc/<pid>/stat). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Resident memory now, in MiB. */
export function rssMiB(pid: number): number {
  return statusKb(pid, 'VmRSS') / 1024;
}

/** Peak resident memory over the process's life (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  return statusKb(pid, 'VmHWM') / 1024;
}

/** Samples VmRSS every 25 ms until stopped; returns the highest value seen (MiB). */
export function sampleRss(pid: number): () => number {
  let max = rssMiB(pid);
  const timer = setInterval(() => {
    try {
      max = Math.max(max, rssMiB(pid));
    } catch {
      // process gone
    }
  }, 25);
  return () => {
    clearInterval(timer);
    return max;
  };
}

const PG_SERVER = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_SERVER });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A throwaway PostgreSQL database on the local server; `drop` removes it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `rollcall_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
