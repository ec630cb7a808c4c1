import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createApp } from '../../src/app.js';
import type { Deps } from '../../src/deps.js';

// What the browser suites share: Debian's Chromium (headless), the built console, the real server on
// a loopback port, and the screenshots the README shows.

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../', import.meta.url));
const shots = `${root}docs/screenshots/`;
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI !== undefined)
  throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist (apt-get install -y chromium).`);

/** The `skip` option of a browser suite: a local run without Chromium skips, CI fails (above). */
export const skipWithoutChromium = missing
  ? `Chromium not found at ${CHROMIUM}: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH`
  : false;

export interface ConsoleSession {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  base: string;
  browser: Browser;
  page: Page;
}

/**
 * Builds the console when web/dist is missing (npm test normally builds it first), serves
 * the app on a loopback port, and opens a page whose relative URLs go to it, with clipboard access
 * for the copy buttons.
 */
export async function openConsole(deps: Deps): Promise<ConsoleSession> {
  if (!existsSync(`${root}web/dist/index.html`))
    execFileSync('node', ['scripts/build-web.js'], { cwd: root, stdio: 'inherit' });
  mkdirSync(shots, { recursive: true });
  const app = createApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  assert.ok(addr && typeof addr === 'object');
  const base = `http://127.0.0.1:${addr.port}`;
  // A browser that fails to start must not leave the server listening (the suite's after() never saw it).
  const browser = await chromium
    .launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
    .catch(async (e: unknown) => {
      await app.close();
      throw e;
    });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: base });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { app, base, browser, page };
}

/** A SCIM request as Okta sends it, with a bearer token. */
export function scimFetch(base: string, token: string, method: string, path: string, body?: unknown) {
  return fetch(`${base}/api/v1/auth/scim${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/scim+json',
      'user-agent': 'Okta SCIM Client 1.0.0',
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

/** A full-page screenshot for docs/screenshots, once the page has settled. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
}

/** Follows a link of the console's navigation and waits for the page's heading. */
export async function navigate(page: Page, label: string, heading: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Console' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
