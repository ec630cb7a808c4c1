import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { startReceiver, waitFor } from './events/receiver.js';

// Item 7 of the issue: a server killed with SIGKILL mid-import loses no acknowledged change, and
// every event is eventually delivered to webhooks at least once.

const bin = new URL('../bin/rollcall.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rollcall-crash-'));
const database = `sqlite:${join(dir, 'crash.db')}`;
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

async function startServer(): Promise<{ proc: ChildProcess; base: string; token?: string }> {
  const proc = spawn(process.execPath, [bin, 'serve', '--port', '0', '--database', database], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_RPS: '0',
      WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    proc.stdout?.on('data', (d) => {
      out += d;
      const m = /SCIM base URL: (\S+)/.exec(out);
      // The banner is one write: the base URL, then the first token or a hint to create one.
      const complete = /rc_\S+\s*\n/.test(out) || out.includes('Create an API token');
      if (m?.[1] && complete) {
        clearTimeout(timer);
        resolve({ proc, base: m[1].replace('/api/v1/auth/scim', ''), token: /(rc_\S+)/.exec(out)?.[1] });
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

describe('crash safety', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged user and its event across kill -9, and delivers every event', async () => {
    const rx = await startReceiver();
    const first = await startServer();
    const token = first.token;
    assert.ok(token, 'the first run prints a token');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const hook = await fetch(`${first.base}/api/v1/webhooks`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ url: rx.url, eventTypes: ['user.*'] }),
    });
    assert.equal(hook.status, 201);
    const { secret } = (await hook.json()) as { secret: string };

    const acked = new Set<string>();
    let n = 0;
    let killed = false;
    const workerLoop = async () => {
      while (!killed) {
        const userName = `crash${n++}@x.test`;
        try {
          const res = await fetch(`${first.base}/api/v1/auth/scim/Users`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/scim+json' },
            body: JSON.stringify({ schemas: [CORE], userName }),
          });
          if (res.status === 201) acked.add(userName);
          await res.arrayBuffer();
        } catch {
          // the server died under this request: not acknowledged
        }
      }
    };
    const loops = Array.from({ length: 24 }, workerLoop);
    await waitFor(() => acked.size >= 300, 30_000, '300 acknowledged users');
    first.proc.kill('SIGKILL');
    killed = true;
    await Promise.all(loops);
    if (first.proc.exitCode === null && first.proc.signalCode === null)
      await new Promise((r) => first.proc.once('exit', r));

    const second = await startServer();
    try {
      const get = async (path: string) => {
        const res = await fetch(`${second.base}/api/v1${path}`, { headers: auth });
        assert.equal(res.status, 200, path);
        return res.json() as Promise<any>;
      };
      const members = new Set<string>();
      let cursor = '';
      do {
        const page = await get(`/members?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        for (const m of page.data) members.add(m.userName);
        cursor = page.next_cursor ?? '';
      } while (cursor);
      for (const u of acked) assert.ok(members.has(u), `acknowledged ${u} survived`);

      const created = new Map<string, string>();
      let after = 0;
      for (;;) {
        const page = await get(`/events?after=${after}&limit=1000`);
        for (const e of page.data) if (e.type === 'user.created') created.set(e.data.userName, e.id);
        if (page.data.length === 0) break;
        after = page.next_after;
      }
      for (const u of members) assert.ok(created.has(u), `${u} has its user.created event`);
      assert.equal(created.size, members.size, 'no event without its user');

      const wanted = new Set(created.values());
      const delivered = () => new Set(rx.received.map((r) => r.id).filter((id) => wanted.has(id)));
      await waitFor(() => delivered().size === wanted.size, 30_000, 'every event delivered');
      const verifier = new Webhook(secret);
      for (const r of rx.received) verifier.verify(r.body, r.headers as Record<string, string>);
      process.stdout.write(
        `# crash: ${acked.size} acknowledged, ${members.size} stored, ${wanted.size} events, ${rx.received.length} deliveries (${rx.received.length - wanted.size} repeats)\n`,
      );
    } finally {
      second.proc.kill('SIGTERM');
      await rx.close();
    }
  });
});
