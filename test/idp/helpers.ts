/**
 * Shared pieces of the identity-provider replay suites (test/idp/*.test.ts): a client that sends
 * what one provider sends (its User-Agent, media types, Tenant URL query flags), the SCIM message
 * URNs, and assertions that check responses the way those providers parse them.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { newId } from '../../src/lib/ids.js';
import type { Engine } from '../../src/store/db.js';
import { insertUser } from '../../src/store/users.js';
import { recountWorkspace } from '../../src/store/workspaces.js';
import { testClock } from '../helpers/engines.js';
import { type ScimResponse, startTestServer, type TestServer } from '../helpers/scim-client.js';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ADSCIM = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

/** A PatchOp message (RFC 7644 §3.5.2). */
export const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** A filter as it appears in a query string. */
export const q = (filter: string) => encodeURIComponent(filter);

export interface IdpProfile {
  userAgent: string;
  /** Query parameters the provider appends to every request URL (Entra's Tenant URL flags). */
  query?: string;
  contentType?: string;
  accept?: string;
}

/** Okta (§2.2): its documented User-Agent and media types. */
export const OKTA: IdpProfile = {
  userAgent: 'Okta SCIM Client 1.0.0',
  contentType: 'application/json',
  accept: 'application/scim+json; charset=utf-8',
};

/** Microsoft Entra ID; the facts file records no Entra User-Agent, this one only marks the traffic. */
export const ENTRA: IdpProfile = {
  userAgent: 'Microsoft Entra ID Provisioning',
  contentType: 'application/scim+json',
};

export interface EventRow {
  type: string;
  resource_id: string | null;
  user_agent: string | null;
  data: string;
}

export interface IdpServer {
  s: TestServer;
  clock: ReturnType<typeof testClock>;
  /** A request as the provider sends it (its headers, its Tenant URL flags); headers override. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimResponse>;
  /** Event rows of one type for the test workspace, oldest first. */
  events(type: string): Promise<EventRow[]>;
  close(): Promise<void>;
}

/** Starts a fresh server (one database, one workspace and token) with a settable clock. */
export async function startIdp(engine: Engine, profile: IdpProfile): Promise<IdpServer> {
  const s = await startTestServer(engine);
  const clock = testClock();
  // The clock is the one thing tests fake (DESIGN §6); every use case reads deps.clock per call.
  s.deps.clock = clock;
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    let url = path;
    if (profile.query) url += `${url.includes('?') ? '&' : '?'}${profile.query}`;
    return s.scim(method, url, body, {
      'user-agent': profile.userAgent,
      ...(profile.accept ? { accept: profile.accept } : {}),
      ...(body !== undefined && profile.contentType ? { 'content-type': profile.contentType } : {}),
      ...headers,
    });
  };
  const events = async (type: string) =>
    (await s.deps.store.db
      .selectFrom('events')
      .select(['type', 'resource_id', 'user_agent', 'data'])
      .where('workspace_id', '=', s.workspace.id)
      .where('type', '=', type)
      .orderBy('position')
      .execute()) as EventRow[];
  return { s, clock, send, events, close: () => s.close() };
}

/**
 * The server of one provider suite: started in the suite's before() and closed in its after()
 * (node:test hooks), so a suite says only which provider it replays. The methods delegate to the
 * started server; a further before() registered after this call runs once it is up.
 */
export function idpPerSuite(engine: Engine, profile: IdpProfile): IdpServer {
  let server: IdpServer | undefined;
  before(async () => {
    server = await startIdp(engine, profile);
  });
  after(async () => {
    await server?.close();
  });
  const started = (): IdpServer => {
    assert.ok(server, 'the suite server is started in before()');
    return server;
  };
  return {
    get s() {
      return started().s;
    },
    get clock() {
      return started().clock;
    },
    send: (...a) => started().send(...a),
    events: (type) => started().events(type),
    close: async () => {
      await server?.close();
    },
  };
}

/** Every SCIM response is `application/scim+json` (Entra UC "General"; RFC 7644 §8.1). */
export function assertScimJson(res: ScimResponse): void {
  assert.match(String(res.headers['content-type']), /^application\/scim\+json/);
}

/** A ListResponse with integer paging fields, as Okta and Entra parse it. */
export function assertList(res: ScimResponse, totalResults: number): any[] {
  assert.equal(res.status, 200, res.text);
  assertScimJson(res);
  assert.deepEqual(res.body.schemas, [LIST]);
  assert.equal(res.body.totalResults, totalResults);
  for (const k of ['totalResults', 'itemsPerPage', 'startIndex'] as const)
    assert.ok(Number.isInteger(res.body[k]), `${k} is an integer`);
  assert.ok(Array.isArray(res.body.Resources));
  assert.equal(res.body.itemsPerPage, res.body.Resources.length, 'itemsPerPage is the actual count');
  return res.body.Resources;
}

/** A SCIM Error message (RFC 7644 §3.12): JSON, `status` as a string, a `detail`. */
export function assertError(res: ScimResponse, status: number, scimType?: string): void {
  assert.equal(res.status, status, res.text);
  assertScimJson(res);
  assert.deepEqual(res.body?.schemas, [ERROR]);
  assert.equal(res.body.status, String(status));
  assert.equal(typeof res.body.detail, 'string');
  assert.ok(res.body.detail.length > 0);
  if (scimType !== undefined) assert.equal(res.body.scimType, scimType);
}

/** A created resource (201): body with id and meta, `Location` equal to meta.location. */
export function assertCreated(res: ScimResponse, resourceType: 'User' | 'Group'): string {
  assert.equal(res.status, 201, res.text);
  assertScimJson(res);
  assert.equal(typeof res.body.id, 'string');
  assert.equal(res.body.meta.resourceType, resourceType);
  assert.ok(res.body.meta.created && res.body.meta.lastModified);
  assert.equal(res.headers.location, res.body.meta.location);
  return res.body.id;
}

/** A PATCH answer an IdP accepts: 204 with no body, or 200 with the resource. */
export function assertPatched(res: ScimResponse): void {
  assert.ok(res.status === 204 || res.status === 200, `PATCH answered ${res.status}: ${res.text}`);
  if (res.status === 204) assert.equal(res.text, '');
  else assert.equal(typeof res.body.id, 'string');
}

/** A minimal user body. */
export const userBody = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName,
  name: { givenName: 'Given', familyName: 'Family' },
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  ...extra,
});

/** Creates n users through the API and returns their ids (for groups of realistic size). */
export async function createUsers(idp: IdpServer, n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, (_, j) =>
        idp.send('POST', '/Users', userBody(`${prefix}${i + j}@seed.test`)),
      ),
    );
    for (const r of batch) ids.push(assertCreated(r, 'User'));
  }
  return ids;
}

/** Seeds n users straight into the store in one transaction (test data for large walks; no events). */
export async function seedUsers(
  idp: IdpServer,
  n: number,
  prefix: string,
  workspaceId = idp.s.workspace.id,
): Promise<string[]> {
  const now = new Date().toISOString();
  const ids: string[] = [];
  await idp.s.deps.store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i++) {
      const id = newId();
      const userName = `${prefix}${i}@seed.test`;
      await insertUser(
        trx,
        {
          workspaceId,
          id,
          userName,
          externalId: null,
          displayName: null,
          active: true,
          role: null,
          document: { userName, active: true },
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
        [],
      );
      ids.push(id);
    }
  });
  // Seeded without events: recompute the workspace's kept counts.
  await recountWorkspace(idp.s.deps.store.db, idp.s.workspace.id);
  return ids;
}
