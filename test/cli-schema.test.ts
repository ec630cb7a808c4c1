import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = new URL('../bin/rollcall.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rollcall-schema-'));
const database = `sqlite:${join(dir, 'schema.db')}`;
const URN = 'urn:acme:params:scim:schemas:extension:catalog:2.0:User';

async function cli(...args: string[]) {
  return run(process.execPath, [bin, ...args, '--database', database], {
    env: { ...process.env, DATABASE_URL: '' },
  });
}

describe('rollcall schema add|list|remove', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('registers, lists and removes a custom extension', async () => {
    await cli('workspace', 'create', 'acme', '--json');
    const added = JSON.parse(
      (
        await cli(
          'schema',
          'add',
          'acme',
          URN,
          '--resource',
          'User',
          '--attribute',
          'team:string',
          '--attribute',
          'costCenter:string',
          '--attribute',
          'level:integer:required',
          '--json',
        )
      ).stdout,
    );
    assert.equal(added.urn, URN);
    assert.equal(added.resourceType, 'User');
    assert.deepEqual(added.attributes, [
      { name: 'team', type: 'string' },
      { name: 'costCenter', type: 'string' },
      { name: 'level', type: 'integer', required: true },
    ]);
    const listed = JSON.parse((await cli('schema', 'list', 'acme', '--json')).stdout);
    assert.deepEqual(
      listed.map((e: { urn: string }) => e.urn),
      [URN],
    );
    const text = (await cli('schema', 'list', 'acme')).stdout;
    assert.match(text, /level: integer \(required\)/);
    await assert.rejects(
      cli('schema', 'add', 'acme', 'not-a-urn', '--attribute', 'x:string'),
      /is not a URN/,
    );
    await assert.rejects(
      cli('schema', 'add', 'acme', 'urn:acme:x:User', '--attribute', 'x:float'),
      /type must be one of/,
    );
    assert.match((await cli('schema', 'remove', 'acme', URN)).stdout, /removed/);
    assert.match((await cli('schema', 'list', 'acme')).stdout, /no custom schema extensions/);
  });
});
