import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = new URL('../bin/rollcall.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rollcall-smoke-'));
const database = `sqlite:${join(dir, 'smoke.db')}`;

async function cli(...args: string[]) {
  return run(process.execPath, [bin, ...args, '--database', database], {
    env: { ...process.env, DATABASE_URL: '' },
  });
}

describe('rollcall CLI and server, as a real process', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a workspace and token, serves, and provisions a user over HTTP', async () => {
    const ws = JSON.parse(
      (await cli('workspace', 'create', 'smoke', '--name', 'Smoke Inc', '--json')).stdout,
    );
    assert.equal(ws.slug, 'smoke');
    assert.equal(ws.plan, 'enterprise');
    assert.equal(ws.scimEnabled, true);
    const token = JSON.parse((await cli('token', 'create', 'smoke', '--name', 'okta', '--json')).stdout);
    assert.match(token.token, /^rc_/);
    assert.ok(token.id && token.scimUrl.endsWith('/api/v1/auth/scim'));
    assert.equal(token.workspace, 'smoke');

    const server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--database', database], {
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
        server.stdout.on('data', (d) => {
          out += d;
          const m = /SCIM base URL: (\S+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'smoke@x.test',
        }),
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('content-type'), 'application/scim+json');
      const body = (await res.json()) as { userName: string };
      assert.equal(body.userName, 'smoke@x.test');
      const health = await fetch(url.replace('/api/v1/auth/scim', '/readyz'));
      assert.equal(health.status, 200);
    } finally {
      server.kill('SIGTERM');
    }

    const list = JSON.parse((await cli('token', 'list', 'smoke', '--json')).stdout);
    assert.equal(list.length, 1);
    assert.ok(!JSON.stringify(list).includes(token.token), 'secrets are never listed');
    await cli('token', 'revoke', token.id);
    const revoked = JSON.parse((await cli('token', 'list', 'smoke', '--json')).stdout);
    assert.ok(revoked[0].revokedAt);
  });

  it('fails clearly on wrong usage', async () => {
    await assert.rejects(cli('workspace', 'create'), (e: { code: number; stderr: string }) => {
      assert.notEqual(e.code, 0);
      assert.match(e.stderr, /missing required argument/);
      return true;
    });
    await assert.rejects(cli('token', 'create', 'nope'), (e: { code: number; stderr: string }) => {
      assert.notEqual(e.code, 0);
      assert.match(e.stderr, /no workspace "nope"/);
      return true;
    });
  });
});
