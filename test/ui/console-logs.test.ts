import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { inviteAdmin } from '../../src/auth/admins.js';
import { createToken } from '../../src/auth/tokens.js';
import type { Deps } from '../../src/deps.js';
import { createWebhookWorker, type WebhookWorker } from '../../src/events/webhook-worker.js';
import { queryProvisioningLog } from '../../src/store/provisioning-log.js';
import type { Workspace } from '../../src/store/workspaces.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { createTestDeps } from '../helpers/engines.js';
import { navigate, openConsole, scimFetch, screenshot, skipWithoutChromium } from './browser.js';

// The console's provisioning log and webhooks, in a real browser against the real server (with the
// webhook worker running, as main.ts runs it) and a loopback receiver standing in for the admin's app.

describe('admin console in a browser: provisioning log and webhooks', { skip: skipWithoutChromium }, () => {
  let deps: Deps;
  let close: () => Promise<void>;
  let app: FastifyInstance;
  let worker: WebhookWorker;
  let receiver: Server;
  const received: { headers: Record<string, unknown>; body: string }[] = [];
  let receiverUrl = '';
  let base: string;
  let workspace: Workspace;
  let browser: Browser;
  let page: Page;
  let secret = '';
  let userId = '';
  const password = 'a long enough passphrase';

  const scim = (method: string, path: string, body?: unknown) => scimFetch(base, secret, method, path, body);
  const shot = (name: string) => screenshot(page, name);
  const go = (label: string, heading: string) => navigate(page, label, heading);

  before(async () => {
    // Loopback URLs are private: the operator setting WEBHOOK_ALLOW_PRIVATE=1 is what allows them.
    ({ deps, close } = await createTestDeps('sqlite', { webhookAllowPrivate: true, webhookPollMs: 100 }));
    workspace = await createWorkspace(deps, 'acme', { name: 'Acme Corp' }, { type: 'system', id: null });
    ({ secret } = await createToken(
      deps,
      workspace,
      { name: 'Okta', scopes: ['scim'] },
      { type: 'cli', id: null },
    ));
    ({ app, base, browser, page } = await openConsole(deps));
    worker = createWebhookWorker(deps);
    worker.start();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const raddr = receiver.address();
    assert.ok(raddr && typeof raddr === 'object');
    receiverUrl = `http://127.0.0.1:${raddr.port}/hooks/rollcall`;
    const { token } = await inviteAdmin(
      deps,
      workspace,
      { email: 'ada@acme.test', role: 'Admin' },
      { type: 'cli', id: null },
    );
    await page.goto(`/invite/${token}`);
    await page.getByLabel('New password').fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await worker?.stop();
    await app?.close();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    await close?.();
  });

  it('opens a SCIM request in the provisioning log: provider, redacted body, resulting change', async () => {
    const r = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'grace@acme.test',
      displayName: 'Grace Hopper',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      emails: [{ value: 'grace@acme.test', type: 'work', primary: true }],
      password: 'Sup3r-Secret-Passw0rd!',
      active: true,
    });
    assert.equal(r.status, 201, await r.clone().text());
    userId = ((await r.json()) as { id: string }).id;
    const bad = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] });
    assert.equal(bad.status, 400);
    assert.equal((await scim('GET', `/Users/${userId}`)).status, 200);

    // Entries are written in small batches just after each response.
    for (let i = 0; i < 50; i++) {
      if ((await queryProvisioningLog(deps.store.db, workspace.id, { limit: 10 })).length >= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await go('Provisioning log', 'Provisioning log');
    const entry = page.getByRole('link', { name: /^POST \/Users$/ });
    await page.getByRole('link', { name: `GET /Users/${userId}` }).waitFor();
    await shot('provisioning-log');
    await page.getByLabel('Result').selectOption('error');
    await page.getByRole('link', { name: `GET /Users/${userId}` }).waitFor({ state: 'detached' });
    assert.equal(await entry.count(), 1);
    await page.getByLabel('Result').selectOption('success');
    await entry.click();

    await page.getByRole('heading', { level: 1, name: 'POST /api/v1/auth/scim/Users' }).waitFor();
    await page.getByText('Okta', { exact: true }).waitFor();
    const request = (await page.getByTestId('request-body').textContent()) ?? '';
    assert.match(request, /"password": "\[redacted\]"/);
    assert.doesNotMatch(request, /Sup3r-Secret/);
    assert.match(request, /grace@acme\.test/);
    assert.match((await page.getByTestId('response-body').textContent()) ?? '', new RegExp(userId));
    await page.getByRole('link', { name: 'user.created' }).waitFor();
    await shot('provisioning-entry');
    assert.doesNotMatch(await page.content(), /Sup3r-Secret/);

    // The member's page links to that member's requests.
    await page
      .getByRole('link', { name: `member ${userId}` })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Grace Hopper' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'provisioning log', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Provisioning log' }).waitFor();
    assert.equal(await page.getByLabel('User id').inputValue(), userId);
    await page.getByRole('link', { name: `GET /Users/${userId}` }).waitFor();
  });

  it('shows the live SCIM status from the provisioning log', async () => {
    await go('SCIM', 'SCIM');
    await page.getByText(`GET /Users/${userId}`).waitFor();
    await page.getByText(/33\.3 % \(1 of 3 requests\)/).waitFor();
  });

  it('adds a webhook endpoint, shows its secret once, sends a test event and sees it delivered', async () => {
    await go('Webhooks', 'Webhooks');
    await page.getByText('No webhook endpoints yet').waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('alert').getByText('The webhook URL must use http or https.').waitFor();
    assert.equal(await page.getByLabel('Endpoint URL').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Endpoint URL').fill(receiverUrl);
    await page.getByLabel('Description (optional)').fill('Our app');
    await page.getByLabel('Event types').selectOption(['user.*', 'group.*']);
    await page.getByRole('button', { name: 'Add endpoint' }).click();

    const shown = page.getByTestId('webhook-secret');
    const whsec = (await shown.textContent())?.trim() ?? '';
    assert.match(whsec, /^whsec_[A-Za-z0-9+/=]{32}$/);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), whsec);
    await page.getByRole('button', { name: 'I have stored it safely' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor();
    assert.equal(await page.getByTestId('webhook-secret').count(), 0);
    await page.getByText('user.*, group.*').waitFor();

    await page.getByRole('button', { name: 'Send test event' }).click();
    const row = page.getByTestId('delivery').filter({ hasText: 'webhook.test' });
    await row.getByText('delivered').waitFor();
    await row.getByText('HTTP 204').waitFor();
    assert.equal(received.length, 1, 'only the test event was sent');
    const sent = received[0];
    assert.equal(JSON.parse(sent?.body ?? '{}').type, 'webhook.test');
    assert.match(String(sent?.headers['webhook-signature']), /^v1,/);

    // Manual redelivery sends it again.
    await row.getByRole('button', { name: /Redeliver webhook\.test/ }).click();
    for (let i = 0; i < 50 && received.length < 2; i++) await page.waitForTimeout(100);
    assert.equal(received.length, 2);
    await row.getByRole('cell', { name: '2', exact: true }).waitFor();
    await shot('webhooks');

    // At phone width the page fits without sideways scrolling, and the log stays readable.
    await page.setViewportSize({ width: 390, height: 844 });
    await row.getByText('delivered').waitFor();
    assert.ok(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 390'));
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('Endpoint disabled.').waitFor();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    await go('Webhooks', 'Webhooks');
    await page
      .getByRole('row', { name: /Our app/ })
      .getByText('Disabled')
      .waitFor();
  });
});
