// Group scale figures on SQLite (a file database): PATCH adding 1,000 members to a 100,000-member
// group, single-member add latency at 100 and at 100,000 members, and the server's memory while it
// returns the 100,000-member group. Run: node --import tsx bench/groups-scale.ts [--members 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createApp } from '../src/app.js';
import { createToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import type { Deps } from '../src/deps.js';
import { newId } from '../src/lib/ids.js';
import { openStore } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createWorkspace } from '../src/workspaces/workspaces.js';

const { values } = parseArgs({
  options: { members: { type: 'string', default: '100000' }, singles: { type: 'string', default: '200' } },
});
const BIG = Number(values.members);
const SINGLES = Number(values.singles);
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const dir = mkdtempSync(join(tmpdir(), 'rollcall-groups-bench-'));
const url = `sqlite:${join(dir, 'bench.db')}`;
const store = openStore(url);
await migrateToLatest(store.db as never);
const deps: Deps = {
  config: loadConfig(
    { RATE_LIMIT_RPS: '0', BODY_LIMIT_BYTES: String(8 * 1024 * 1024) },
    { databaseUrl: url },
  ),
  store,
  clock: { now: () => new Date() },
  logger: pino({ level: 'silent' }),
};
const system = { type: 'system' as const, id: null };
const workspace = await createWorkspace(deps, 'bench', {}, system);
const { secret } = await createToken(deps, workspace, { name: 'bench' }, system);
const app = createApp(deps);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const base = `${address}/api/v1/auth/scim`;
const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' };

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

// Users are loaded directly through the store (this measures groups, not user creation).
const total = BIG + 1_000 + 2 * SINGLES + 100;
const ids = Array.from({ length: total }, () => newId());
let t0 = performance.now();
const now = new Date().toISOString();
for (let i = 0; i < total; i += 500) {
  await store.db
    .insertInto('users')
    .values(
      ids.slice(i, i + 500).map((id, j) => ({
        workspace_id: workspace.id,
        id,
        user_name: `u${i + j}@bench.test`,
        user_name_norm: `u${i + j}@bench.test`,
        external_id: null,
        display_name: `User ${i + j}`,
        display_name_norm: `user ${i + j}`,
        active: 1,
        role: null,
        data: JSON.stringify({
          userName: `u${i + j}@bench.test`,
          displayName: `User ${i + j}`,
          active: true,
        }),
        version: 1,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
console.log(`loaded ${total} users in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const addChunk = (id: string, members: string[]) =>
  call('PATCH', `/Groups/${id}`, {
    schemas: [PATCH],
    Operations: [{ op: 'add', path: 'members', value: members.map((value) => ({ value })) }],
  });

const big = (await (await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Big' })).json()) as {
  id: string;
};
t0 = performance.now();
for (let i = 0; i < BIG; i += 1_000) await addChunk(big.id, ids.slice(i, i + 1_000));
console.log(
  `built a ${BIG}-member group by PATCHes of 1,000 in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

let cursor = BIG;
const take = (n: number) => {
  const out = ids.slice(cursor, cursor + n);
  cursor += n;
  return out;
};

// PATCH adding 1,000 members to the 100,000-member group.
t0 = performance.now();
await addChunk(big.id, take(1_000));
console.log(`PATCH adding 1,000 members to a ${BIG}-member group: ${(performance.now() - t0).toFixed(1)} ms`);

async function singles(groupId: string, members: string[]): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (const m of members) {
    const t = performance.now();
    await call('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: m }] }],
    });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)] ?? 0,
    p95: times[Math.floor(times.length * 0.95)] ?? 0,
  };
}

const small = (await (await call('POST', '/Groups', { schemas: [GROUP], displayName: 'Small' })).json()) as {
  id: string;
};
await addChunk(small.id, take(100));
const atSmall = await singles(small.id, take(SINGLES));
const atBig = await singles(big.id, take(SINGLES));
console.log(
  `single-member add at 100 members:     median ${atSmall.median.toFixed(2)} ms, p95 ${atSmall.p95.toFixed(2)} ms (${SINGLES} adds)`,
);
console.log(
  `single-member add at ${BIG} members: median ${atBig.median.toFixed(2)} ms, p95 ${atBig.p95.toFixed(2)} ms (${SINGLES} adds)`,
);
console.log(`ratio (median, big/small): ${(atBig.median / atSmall.median).toFixed(2)}`);

// Memory while returning the big group: sample this (server) process during a streamed GET.
for (const query of ['?excludedAttributes=members', '']) {
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 5);
  t0 = performance.now();
  const res = await call('GET', `/Groups/${big.id}${query}`);
  let bytes = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    bytes += chunk.value.byteLength;
  }
  clearInterval(timer);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  console.log(
    `GET /Groups/{id}${query || ' (all members)'}: ${(performance.now() - t0).toFixed(0)} ms, ${mb(bytes)} MB body; ` +
      `rss ${mb(before.rss)} → peak ${mb(peakRss)} MB, heapUsed ${mb(before.heapUsed)} → peak ${mb(peakHeap)} MB`,
  );
}

await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
