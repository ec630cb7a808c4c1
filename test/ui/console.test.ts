import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { inviteAdmin } from '../../src/auth/admins.js';
import type { Deps } from '../../src/deps.js';
import type { Workspace } from '../../src/store/workspaces.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { createTestDeps } from '../helpers/engines.js';
import { navigate, openConsole, scimFetch, screenshot, skipWithoutChromium } from './browser.js';

// The admin's real tasks, in a real browser against the real server: Debian's Chromium, headless.

describe('admin console in a browser', { skip: skipWithoutChromium }, () => {
  let deps: Deps;
  let close: () => Promise<void>;
  let app: FastifyInstance;
  let base: string;
  let workspace: Workspace;
  let browser: Browser;
  let page: Page;
  let secret = '';
  const password = 'a long enough passphrase';

  const scim = (method: string, path: string, body?: unknown, token = secret) =>
    scimFetch(base, token, method, path, body);
  const shot = (name: string) => screenshot(page, name);
  const go = (label: string, heading: string) => navigate(page, label, heading);

  before(async () => {
    ({ deps, close } = await createTestDeps('sqlite'));
    workspace = await createWorkspace(deps, 'acme', { name: 'Acme Corp' }, { type: 'system', id: null });
    ({ app, base, browser, page } = await openConsole(deps));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await close?.();
  });

  it('accepts an invitation: sets a password and lands signed in', async () => {
    const { token } = await inviteAdmin(
      deps,
      workspace,
      { email: 'ada@acme.test', role: 'Admin' },
      { type: 'cli', id: null },
    );
    await page.goto(`/invite/${token}`);
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByLabel('New password').fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    await shot('invite');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    assert.match(page.url(), /\/settings\/api$/);
  });

  it('generates a token, shows it once, and copies it', async () => {
    await page.getByLabel('Name').fill('Okta');
    await page.getByRole('button', { name: 'Generate token' }).click();
    const shown = page.getByTestId('token-secret');
    secret = (await shown.textContent())?.trim() ?? '';
    assert.match(secret, /^rc_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: /Copy token/ }).click();
    await page.getByRole('status').getByText('Copied').waitFor();
    assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), secret);
    await shot('api-tokens-new');
    await page.getByRole('button', { name: 'I have stored it safely' }).click();
    await page.getByRole('row', { name: /Okta/ }).waitFor();
    assert.equal(await page.getByTestId('token-secret').count(), 0);
    await shot('api-tokens');
  });

  it('shows members and groups provisioned over SCIM with that token', async () => {
    const ids: string[] = [];
    for (const [given, family] of [
      ['Grace', 'Hopper'],
      ['Alan', 'Turing'],
      ['Katherine', 'Johnson'],
    ] as const) {
      const userName = `${given.toLowerCase()}@acme.test`;
      const r = await scim('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        displayName: `${given} ${family}`,
        name: { givenName: given, familyName: family },
        emails: [{ value: userName, type: 'work', primary: true }],
        active: true,
      });
      assert.equal(r.status, 201, await r.clone().text());
      ids.push(((await r.json()) as { id: string }).id);
    }
    const g = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
      members: ids.slice(0, 2).map((value) => ({ value })),
    });
    assert.equal(g.status, 201, await g.clone().text());

    await go('Members', 'Members');
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
    await shot('members');
    await page.getByLabel('Search').fill('turing');
    await page.getByText('1 members').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Grace Hopper' }).count(), 0);
    await page.getByRole('link', { name: 'Alan Turing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alan Turing' }).waitFor();
    await page.getByRole('link', { name: 'Engineering' }).waitFor();
    await shot('member');

    await go('Groups', 'Groups');
    await page.getByRole('link', { name: 'Engineering' }).click();
    await page.getByRole('heading', { level: 1, name: 'Engineering' }).waitFor();
    await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
  });

  it('maps a group to a role, and members show where their role comes from', async () => {
    await page.getByLabel('Role granted').selectOption('Editor');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('Members of Engineering now get at least Editor.').waitFor();
    await shot('group');
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByText('Mapped from the group Engineering').waitFor();
  });

  it('opens the change the identity provider made in the audit log', async () => {
    await go('Audit log', 'Audit log');
    await page.getByRole('link', { name: 'group.role_mapped' }).waitFor();
    await page.getByLabel('Made by').selectOption('token');
    await page.getByRole('link', { name: 'user.created' }).first().click();
    await page.getByRole('heading', { level: 1, name: /Event #/ }).waitFor();
    await page.getByText('Okta').first().waitFor();
    await shot('audit-event');
    // console-logs.test.ts opens an entry and takes the provisioning log's screenshots.
    await go('Provisioning log', 'Provisioning log');
  });

  it('shows the SCIM setup: base URL, switch, live status and provider guides', async () => {
    await go('SCIM', 'SCIM');
    const url = await page.getByRole('textbox', { name: 'Shared host' }).inputValue();
    assert.equal(url, `${base}/api/v1/auth/scim`);
    await page.getByRole('switch', { name: 'SCIM provisioning' }).waitFor();
    await page.getByText('Okta', { exact: true }).first().waitFor();
    await page.getByRole('tab', { name: 'Microsoft Entra ID' }).click();
    await page.getByText('userPrincipalName → userName').waitFor();
    await shot('scim');
    await go('Workspace', 'Workspace settings');
    await shot('workspace');
  });

  it('revokes the token after confirmation, and SCIM then answers 401', async () => {
    assert.equal((await scim('GET', '/Users?count=1')).status, 200);
    await go('API', 'API tokens');
    await page.getByRole('button', { name: 'Revoke Okta' }).click();
    const dialog = page.getByRole('dialog', { name: /Revoke "Okta"/ });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('row', { name: /Okta/ }).getByText('revoked').waitFor();
    assert.equal((await scim('GET', '/Users?count=1')).status, 401);
  });

  it('signs out and back in with the password; works at phone width with the keyboard', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the admin console' }).waitFor();
    await page.getByLabel('Email').fill('ada@acme.test');
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The email or password is not correct.').waitFor();
    await page.getByLabel('Password').fill(password);
    await shot('sign-in');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/members');
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    // From the top of the page: the skip link first, then the menu button.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), 'Skip to content');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), 'Menu');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Groups' }).waitFor();
    await shot('members-phone');
  });
});
