import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { queryProvisioningLog } from '../../src/store/provisioning-log.js';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

// Regression: group responses bypassed the shared "remember the body" step, so the provisioning
// log kept neither the response nor the id of a created group (it could not be found by group).
describeEngines('group writes in the provisioning log', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  it('keeps the response and the resource of POST /Groups', async () => {
    const created = await s.scim('POST', '/Groups', { displayName: 'Logged' });
    assert.equal(created.status, 201);
    let entries: Awaited<ReturnType<typeof queryProvisioningLog>> = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      entries = await queryProvisioningLog(s.deps.store.db, s.workspace.id, {
        resourceId: created.body.id,
        limit: 5,
      });
    }
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.resourceType, 'Group');
    assert.equal(JSON.parse(entries[0]?.responseBody ?? '{}').displayName, 'Logged');
  });
});
