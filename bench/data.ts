import { sql } from 'kysely';
// Loading a workspace with N users: through the real SCIM API (POST /Users, many connections), or,
// for the largest sizes, the fast loader, which writes the same rows directly through the store.

import { indexedValuesOf } from '../src/directory/users.js';
import { isoNow, systemClock } from '../src/lib/clock.js';
import { newId } from '../src/lib/ids.js';
import { normaliseResource } from '../src/scim/resource.js';
import { userContext } from '../src/scim/resource-types.js';
import { openStore } from '../src/store/db.js';
import { insertUser, type UserRecord } from '../src/store/users.js';
import { recountWorkspace } from '../src/store/workspaces.js';
import { runLoad } from './load.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

export interface LoadedUsers {
  ids: string[];
  userNames: string[];
}

export function userName(prefix: string, i: number): string {
  return `${prefix}${i}@bench.example.com`;
}

/** An Okta-style user body (name, displayName, one work email, externalId). */
export function userBody(
  prefix: string,
  i: number,
  displayName = `Bench User ${i}`,
): Record<string, unknown> {
  const name = userName(prefix, i);
  return {
    schemas: [USER_SCHEMA],
    userName: name,
    externalId: `ext-${prefix}${i}`,
    name: { givenName: 'Bench', familyName: `User ${i}` },
    displayName,
    emails: [{ value: name, type: 'work', primary: true }],
    active: true,
  };
}

/** POSTs users `prefix0 … prefix(n-1)` with `connections` connections; returns their ids in order. */
export async function loadByApi(
  base: string,
  token: string,
  options: { prefix: string; count: number; connections: number; pid?: number },
): Promise<LoadedUsers & { seconds: number; errors: number }> {
  const ids: string[] = new Array(options.count);
  const userNames: string[] = new Array(options.count);
  if (options.count === 0) return { ids: [], userNames: [], seconds: 0, errors: 0 };
  let next = 0;
  const m = await runLoad({
    url: base,
    token,
    connections: Math.min(options.connections, options.count),
    amount: options.count,
    ...(options.pid ? { pid: options.pid } : {}),
    next: (context) => {
      const i = next++;
      context.i = i;
      return {
        method: 'POST',
        path: '/api/v1/auth/scim/Users',
        body: JSON.stringify(userBody(options.prefix, i)),
      };
    },
    onResponse: (status, body) => {
      if (status !== 201) return;
      // The response carries userName; map it back to its index (requests and responses interleave).
      const doc = JSON.parse(body) as { id: string; userName: string };
      const i = Number(/^\D*(\d+)@/.exec(doc.userName)?.[1]);
      ids[i] = doc.id;
      userNames[i] = doc.userName;
    },
  });
  return { ids, userNames, seconds: m.seconds, errors: m.errors };
}

/**
 * The fast loader: the rows POST /Users would write (users + user_values through `insertUser`,
 * after the same `normaliseResource`), in transactions of `batch` users, without the HTTP round
 * trip and without `user.created` events (the event log is not read by any workload).
 */
export async function loadFast(
  databaseUrl: string,
  workspaceId: string,
  options: { prefix: string; count: number; batch?: number; onProgress?: (done: number) => void },
): Promise<LoadedUsers & { seconds: number }> {
  const t0 = performance.now();
  const store = openStore(databaseUrl, { poolSize: 1 });
  const ctx = userContext();
  const ids: string[] = [];
  const userNames: string[] = [];
  const batch = options.batch ?? 5000;
  try {
    for (let start = 0; start < options.count; start += batch) {
      const end = Math.min(options.count, start + batch);
      await store.db.transaction().execute(async (trx) => {
        const now = isoNow(systemClock);
        for (let i = start; i < end; i++) {
          const { document, externalId } = normaliseResource(userBody(options.prefix, i), ctx);
          const user: UserRecord = {
            workspaceId,
            id: newId(),
            userName: document.userName as string,
            displayName: (document.displayName as string | undefined) ?? null,
            active: true,
            externalId: externalId ?? null,
            role: null,
            document,
            version: 1,
            createdAt: now,
            updatedAt: now,
          };
          await insertUser(trx, user, indexedValuesOf(document, ctx));
          ids.push(user.id);
          userNames.push(user.userName);
        }
      });
      options.onProgress?.(end);
    }
    // Written without events: recompute the workspace's kept user count.
    await recountWorkspace(store.db, workspaceId);
    // PostgreSQL plans from statistics that autovacuum refreshes only later: refresh them now, as an
    // operator would after a bulk load. (SQLite's are seeded by a migration.)
    if (store.engine === 'postgres') await sql`ANALYZE`.execute(store.db);
  } finally {
    await store.close();
  }
  return { ids, userNames, seconds: (performance.now() - t0) / 1000 };
}
