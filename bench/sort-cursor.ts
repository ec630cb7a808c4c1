// Deep pages of a sorted list: RFC 9865 cursor (keyset) versus startIndex (OFFSET), on SQLite.
// Run: npx tsx bench/sort-cursor.ts [users=50000]
import { createApp } from '../src/app.js';
import { createToken } from '../src/auth/tokens.js';
import { newId } from '../src/lib/ids.js';
import { insertUser } from '../src/store/users.js';
import { recountWorkspace } from '../src/store/workspaces.js';
import { createWorkspace } from '../src/workspaces/workspaces.js';
import { createTestDeps } from '../test/helpers/engines.js';

const n = Number(process.argv[2] ?? 50_000);
const { deps, close } = await createTestDeps('sqlite');
const system = { type: 'system' as const, id: null };
const workspace = await createWorkspace(deps, 'bench', {}, system);
const { secret } = await createToken(deps, workspace, { name: 'bench' }, system);
const now = new Date().toISOString();
await deps.store.db.transaction().execute(async (trx) => {
  for (let i = 0; i < n; i++) {
    const userName = `u${((i * 7919) % n).toString().padStart(6, '0')}@bench.test`;
    const document = { userName, active: true, name: { familyName: `F${(i * 104729) % n}` } };
    await insertUser(
      trx,
      {
        workspaceId: workspace.id,
        id: newId(),
        userName,
        externalId: null,
        displayName: null,
        active: true,
        role: null,
        document,
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
      [],
    );
  }
});
await recountWorkspace(deps.store.db, workspace.id);
const app = createApp(deps);
await app.ready();
const get = async (url: string) => {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/auth/scim${url}`,
    headers: { authorization: `Bearer ${secret}` },
  });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body);
};
const time = async (label: string, fn: () => Promise<unknown>, reps = 20) => {
  await fn();
  const t = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  console.log(`${label.padEnd(58)} ${((performance.now() - t) / reps).toFixed(2)} ms/page`);
};
for (const sortBy of ['userName', 'name.familyName']) {
  const q = `sortBy=${sortBy}&count=100`;
  // Walk to the last page by cursor, remembering the cursor of the last page.
  let cursor = '';
  let last = '';
  for (;;) {
    const body = await get(`/Users?${q}&cursor=${encodeURIComponent(cursor)}`);
    if (!body.nextCursor) break;
    last = cursor;
    cursor = body.nextCursor;
  }
  await time(`${sortBy}: first page, cursor`, () => get(`/Users?${q}&cursor=`));
  await time(`${sortBy}: last page, cursor (keyset)`, () =>
    get(`/Users?${q}&cursor=${encodeURIComponent(last)}`),
  );
  await time(`${sortBy}: first page, startIndex`, () => get(`/Users?${q}&startIndex=1`));
  await time(`${sortBy}: last page, startIndex (OFFSET)`, () => get(`/Users?${q}&startIndex=${n - 99}`));
}
await app.close();
await close();
