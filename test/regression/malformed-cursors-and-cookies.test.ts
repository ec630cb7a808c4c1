import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEngines } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/scim-client.js';

// Regression: a position cursor that is not a number went to PostgreSQL as NaN (500), and a
// cookie that is not valid percent-encoding made every console route answer 500.
describeEngines('malformed cursors and cookies are client errors', (engine) => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(engine);
  });
  after(async () => {
    await s.close();
  });

  it('answers 400 to a non-numeric position cursor', async () => {
    const cursor = Buffer.from('abc').toString('base64url');
    for (const url of [`/api/v1/audit-log?cursor=${cursor}`]) {
      const r = await s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${s.token}` } });
      assert.equal(r.statusCode, 400, r.body);
    }
  });

  it('treats a malformed console cookie as no session', async () => {
    const r = await s.app.inject({
      method: 'GET',
      url: '/console/api/me',
      headers: { cookie: 'rc_session=%E0%A4%A' },
    });
    assert.equal(r.statusCode, 401, r.body);
  });
});
