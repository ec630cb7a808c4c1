import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { confirmDeprovisions, guardStatus, setGuardEnabled } from '../../src/directory/deprovision-guard.js';
import { effectiveRoles, parseRole, setGroupRole } from '../../src/directory/roles.js';
import { findWorkspace } from '../../src/store/workspaces.js';
import { updateWorkspace } from '../../src/workspaces/workspaces.js';
import { describeEngines } from '../helpers/engines.js';
import { SCIM, startTestServer, type TestServer } from '../helpers/scim-client.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const cli = { type: 'cli' as const, id: null };
const suspend = { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] };
const restore = { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: 'True' }] };

describeEngines('member lifecycle, roles and the mass-deprovisioning guard', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  const createUser = async (userName: string, call = s.scim) => {
    const r = await call('POST', '/Users', { schemas: [USER], userName, displayName: userName });
    assert.equal(r.status, 201, r.text);
    return r.body.id as string;
  };
  const caller = async () => ({
    workspace: (await findWorkspace(s.deps.store.db, { id: s.workspace.id }))!,
    actor: cli,
  });

  it('suspends (keeping memberships), restores with the same role, deletes from every group, re-provisions anew', async () => {
    const id = await createUser('life@x.test');
    const g1 = (
      await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Life 1', members: [{ value: id }] })
    ).body.id;
    const g2 = (
      await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Life 2', members: [{ value: id }] })
    ).body.id;
    await setGroupRole(s.deps, await caller(), g1, 'Editor');
    assert.deepEqual((await s.scim('GET', `/Users/${id}`)).body.roles, [
      { value: 'Editor', type: 'workspace', primary: true },
    ]);

    const off = await s.scim('PATCH', `/Users/${id}`, suspend);
    assert.equal(off.status, 200);
    assert.equal(off.body.active, false);
    assert.equal(off.body.groups.length, 2, 'a suspended member keeps their memberships');
    const on = await s.scim('PATCH', `/Users/${id}`, restore);
    assert.equal(on.body.active, true);
    assert.equal(on.body.roles[0].value, 'Editor', 'restored with the same role');

    const del = await s.scim('DELETE', `/Users/${id}`);
    assert.equal(del.status, 204);
    assert.equal((await s.scim('GET', `/Users/${id}`)).status, 404);
    for (const g of [g1, g2]) {
      const group = await s.scim('GET', `/Groups/${g}`);
      assert.equal(group.body.members, undefined, 'removed from every group');
      const row = await s.deps.store.db
        .selectFrom('groups')
        .select('member_count')
        .where('id', '=', g)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.member_count), 0);
    }
    const audit = await s.deps.store.db
      .selectFrom('events')
      .selectAll()
      .where('type', '=', 'user.deleted')
      .where('resource_id', '=', id)
      .execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]?.data ?? '{}').groups.sort(), [g1, g2].sort());

    const again = await createUser('life@x.test');
    assert.notEqual(again, id, 're-provisioning creates a new member');
    assert.equal((await s.scim('GET', `/Users/${again}`)).body.groups, undefined);
  });

  it('role: highest of the groups, else the workspace default; mapped by id so renames change nothing', async () => {
    const a = await createUser('role-a@x.test');
    const b = await createUser('role-b@x.test');
    const viewers = (
      await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Viewers', members: [{ value: a }] })
    ).body.id;
    const admins = (
      await s.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Admins', members: [{ value: a }] })
    ).body.id;
    await setGroupRole(s.deps, await caller(), viewers, 'Viewer');
    await setGroupRole(s.deps, await caller(), admins, parseRole('admin') ?? null);
    let roles = await effectiveRoles(s.deps.store.db, s.workspace.id, [a, b]);
    assert.equal(roles.get(a), 'Admin');
    assert.equal(roles.get(b), 'Viewer', 'the default role');

    await s.scim('PATCH', `/Groups/${admins}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }],
    });
    assert.equal((await effectiveRoles(s.deps.store.db, s.workspace.id, [a])).get(a), 'Admin');
    await setGroupRole(s.deps, await caller(), admins, null);
    assert.equal((await effectiveRoles(s.deps.store.db, s.workspace.id, [a])).get(a), 'Viewer');

    await updateWorkspace(s.deps, s.workspace.slug, { settings: { defaultRole: 'Guest' } }, cli);
    roles = await effectiveRoles(s.deps.store.db, s.workspace.id, [a, b]);
    assert.equal(roles.get(b), 'Guest');
    assert.equal((await s.scim('GET', `/Users/${b}`)).body.roles[0].value, 'Guest');
    const mapped = await s.deps.store.db
      .selectFrom('events')
      .select('data')
      .where('type', '=', 'group.role_mapped')
      .execute();
    assert.ok(mapped.length >= 3);
    // A client that sends its own roles gets them back as sent.
    const own = await s.scim('POST', '/Users', {
      schemas: [USER],
      userName: 'own-roles@x.test',
      roles: [{ value: 'billing' }],
    });
    assert.deepEqual(own.body.roles, [{ value: 'billing' }]);
    await assert.rejects(
      setGroupRole(s.deps, await caller(), '00000000-0000-7000-8000-000000000000', 'Admin'),
    );
  });

  it('the guard refuses the suspension or deletion past the threshold until an Admin confirms; it can be switched off', async () => {
    const other = await s.addWorkspace('guarded', {
      settings: { deprovisionGuard: { enabled: true, threshold: 3, windowMinutes: 60 } },
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await s.app.inject({
        method: method as 'GET',
        url: `${SCIM}${path}`,
        headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/scim+json' },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return {
        status: res.statusCode,
        body: res.body ? JSON.parse(res.body) : undefined,
        text: res.body,
        headers: res.headers,
      };
    };
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await createUser(`guard${i}@x.test`, call));
    assert.equal((await call('PATCH', `/Users/${ids[0]}`, suspend)).status, 200);
    assert.equal((await call('PATCH', `/Users/${ids[1]}`, suspend)).status, 200);
    assert.equal((await call('DELETE', `/Users/${ids[2]}`)).status, 204);
    const refused = await call('PATCH', `/Users/${ids[3]}`, suspend);
    assert.equal(refused.status, 409);
    assert.match(
      refused.body.detail,
      /mass deprovisioning guard: 3 members suspended or deleted in the last 60 minutes/,
    );
    assert.match(refused.body.detail, /rollcall guard confirm guarded/);
    assert.equal((await call('GET', `/Users/${ids[3]}`)).body.active, true, 'nothing applied');
    assert.equal((await call('DELETE', `/Users/${ids[4]}`)).status, 409);
    assert.equal((await call('GET', `/Users/${ids[4]}`)).status, 200);
    // Reactivation and ordinary updates are never refused.
    assert.equal((await call('PATCH', `/Users/${ids[0]}`, restore)).status, 200);

    const w = (await findWorkspace(s.deps.store.db, { slug: 'guarded' }))!;
    const status = await guardStatus(s.deps, w);
    assert.equal(status.count, 3);
    assert.ok(status.pendingSince);
    assert.equal(status.refused, 2);
    const tripped = await s.deps.store.db
      .selectFrom('events')
      .select('id')
      .where('workspace_id', '=', w.id)
      .where('type', '=', 'deprovision_guard.tripped')
      .execute();
    assert.equal(tripped.length, 1, 'one event per tripping, not per refused request');

    const confirmed = await confirmDeprovisions(s.deps, w, cli);
    assert.equal(confirmed.pendingSince, null);
    assert.equal(confirmed.count, 0);
    assert.equal((await call('PATCH', `/Users/${ids[3]}`, suspend)).status, 200);
    assert.equal((await call('DELETE', `/Users/${ids[4]}`)).status, 204);
    assert.equal((await call('PATCH', `/Users/${ids[5]}`, suspend)).status, 200);
    assert.equal(
      (await call('PATCH', `/Users/${ids[6]}`, suspend)).status,
      409,
      'the next batch is threshold large',
    );

    await setGuardEnabled(s.deps, w, false, cli);
    assert.equal((await call('PATCH', `/Users/${ids[6]}`, suspend)).status, 200);
    const off = (await findWorkspace(s.deps.store.db, { slug: 'guarded' }))!;
    assert.equal(off.settings.deprovisionGuard.enabled, false);
    assert.equal(off.settings.deprovisionGuard.threshold, 3);
  });
});
