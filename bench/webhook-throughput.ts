// SCIM POST /Users throughput against `rollcall serve` on SQLite, without and with a webhook endpoint,
// and webhook delivery throughput to a local receiver. Run: node --import tsx bench/webhook-throughput.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../test/events/receiver.js';

const N = Number(process.env.BENCH_USERS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const bin = new URL('../bin/rollcall.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
const RECEIVER = `
let n = 0;
const s = require('node:http').createServer((req, res) => {
  if (req.method === 'GET') return res.end(String(n));
  req.resume();
  req.on('end', () => { n++; res.end('ok'); });
});
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;

async function main(): Promise<void> {
  const proc = spawn(
    process.execPath,
    [bin, 'serve', '--port', '0', '--database', `sqlite:${join(dir, 'b.db')}`],
    {
      env: {
        ...process.env,
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_RPS: '0',
        WEBHOOK_ALLOW_PRIVATE: '1',
        WEBHOOK_POLL_MS: '100',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const { base, token } = await new Promise<{ base: string; token: string }>((resolve) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /SCIM base URL: (\S+)[\s\S]*?(rc_\S+)\s*\n/.exec(out);
      if (m?.[1] && m[2]) resolve({ base: m[1].replace('/api/v1/auth/scim', ''), token: m[2] });
    });
  });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let seq = 0;
  async function load(label: string): Promise<void> {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < N) {
          const res = await fetch(`${base}/api/v1/auth/scim/Users`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
              userName: `u${seq++}@bench.test`,
              emails: [{ value: `u${seq}@bench.test`, primary: true }],
            }),
          });
          if (res.status !== 201) throw new Error(`HTTP ${res.status}`);
          await res.arrayBuffer();
        }
      }),
    );
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${label}: ${N} POST /Users, concurrency ${CONCURRENCY}: ${(N / s).toFixed(0)} req/s (${s.toFixed(2)} s)`,
    );
  }
  // The receiver runs in its own process so it does not take CPU from the load loop.
  const rxProc = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const rxPort = await new Promise<number>((resolve) =>
    rxProc.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
  );
  const received = async () => Number(await (await fetch(`http://127.0.0.1:${rxPort}/count`)).text());
  const rx = { url: `http://127.0.0.1:${rxPort}/hook`, close: async () => void rxProc.kill() };
  try {
    await load('warm-up (no webhook)');
    await load('no webhook endpoint');
    const res = await fetch(`${base}/api/v1/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: rx.url }),
    });
    const { id } = (await res.json()) as { id: string };
    const before = await received();
    await load('with 1 webhook endpoint (worker delivering meanwhile)');
    await waitFor(async () => (await received()) - before >= N, 120_000, 'catch-up');
    // Pure delivery throughput: queue N events with the endpoint disabled, then enable and time the drain.
    await fetch(`${base}/api/v1/webhooks/${id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ enabled: false }),
    });
    await load('endpoint disabled (events queue up)');
    const start = await received();
    const t0 = performance.now();
    await fetch(`${base}/api/v1/webhooks/${id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ enabled: true }),
    });
    await waitFor(async () => (await received()) - start >= N, 120_000, 'drain');
    const s = (performance.now() - t0) / 1000;
    console.log(
      `webhook delivery: ${N} events to a local receiver in ${s.toFixed(2)} s: ${(N / s).toFixed(0)} deliveries/s`,
    );
    // Again without an endpoint, on the now larger database, to separate webhook cost from growth.
    await fetch(`${base}/api/v1/webhooks/${id}`, {
      method: 'DELETE',
      headers: { authorization: headers.authorization },
    });
    await load('no webhook endpoint (again, larger database)');
  } finally {
    proc.kill('SIGTERM');
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
