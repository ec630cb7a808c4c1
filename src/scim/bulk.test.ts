import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bulkResponse,
  findBulkReferences,
  parseBulkRequest,
  planBulk,
  resolveBulkReferences,
} from './bulk.js';
import { ScimError } from './errors.js';

const post = (bulkId: string, data: object = {}, path = '/Users') => ({ method: 'POST', path, bulkId, data });
const order = (body: unknown) =>
  planBulk(parseBulkRequest(body)).map((op) => [op.index, op.error ? op.error.detail : 'ok']);

describe('bulk: parsing', () => {
  it('reads operations leniently (case of names and methods, no schemas)', () => {
    const r = parseBulkRequest({
      operations: [
        { Method: 'post', Path: '/users', BulkId: 'a', Data: { userName: 'x' } },
        { method: 'Delete', path: '/Users/123/', version: 'W/"3"' },
      ],
      FailOnErrors: '2',
    });
    assert.equal(r.failOnErrors, 2);
    const [a, b] = r.operations;
    assert.equal(a?.method, 'POST');
    assert.equal(a?.resource, 'Users');
    assert.equal(a?.error, undefined);
    assert.equal(b?.method, 'DELETE');
    assert.equal(b?.id, '123');
    assert.equal(b?.version, 'W/"3"');
  });

  it('refuses what is not a BulkRequest, and too many operations with 413', () => {
    const cases: [unknown, number, string | undefined][] = [
      [null, 400, 'invalidSyntax'],
      [[], 400, 'invalidSyntax'],
      [{}, 400, 'invalidSyntax'],
      [{ Operations: 'x' }, 400, 'invalidSyntax'],
      [{ Operations: [], failOnErrors: 0 }, 400, 'invalidValue'],
      [{ Operations: [], failOnErrors: 1.5 }, 400, 'invalidValue'],
    ];
    for (const [body, status, scimType] of cases) {
      assert.throws(
        () => parseBulkRequest(body),
        (e: unknown) => e instanceof ScimError && e.status === status && e.scimType === scimType,
        JSON.stringify(body),
      );
    }
    assert.throws(
      () => parseBulkRequest({ Operations: [post('a'), post('b'), post('c')] }, { maxOperations: 2 }),
      (e: unknown) => e instanceof ScimError && e.status === 413,
    );
  });

  it('fails malformed operations one by one', () => {
    const table: [unknown, RegExp][] = [
      ['nope', /not an object/],
      [{ method: 'GET', path: '/Users' }, /method/],
      [{ method: 'POST', data: {}, bulkId: 'a' }, /"path" is required/],
      [{ method: 'POST', path: '/Users', data: {} }, /bulkId/],
      [{ method: 'POST', path: '/Users/1', bulkId: 'a', data: {} }, /POST goes to/],
      [{ method: 'PUT', path: '/Users', data: {} }, /needs a resource id/],
      [{ method: 'PATCH', path: '/Users/1' }, /"data" must be an object/],
      [{ method: 'DELETE', path: '/Devices/1' }, /"path" must be/],
    ];
    const r = parseBulkRequest({ Operations: table.map(([op]) => op) });
    for (const [i, [, re]] of table.entries()) {
      assert.match(r.operations[i]?.error?.detail ?? 'no error', re, `operation ${i}`);
    }
  });

  it('fails a second POST with the same bulkId', () => {
    const r = parseBulkRequest({ Operations: [post('a'), post('a')] });
    assert.equal(r.operations[0]?.error, undefined);
    assert.match(r.operations[1]?.error?.detail ?? '', /used by an earlier POST/);
  });
});

describe('bulk: references', () => {
  it('finds bulkId references anywhere in the data and path', () => {
    const data = {
      members: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }, { value: 'x' }],
      nested: { a: ['bulkId:u1'] },
    };
    assert.deepEqual(findBulkReferences(data), ['u1', 'u2']);
    const r = parseBulkRequest({ Operations: [{ method: 'PATCH', path: '/Groups/bulkId:g', data: {} }] });
    assert.deepEqual(r.operations[0]?.references, ['g']);
  });

  it('replaces resolved references and leaves the rest', () => {
    const ids = new Map([['u1', 'id-1']]);
    assert.deepEqual(
      resolveBulkReferences({ m: [{ value: 'bulkId:u1' }, { value: 'bulkId:u9' }], n: 3, t: true }, ids),
      {
        m: [{ value: 'id-1' }, { value: 'bulkId:u9' }],
        n: 3,
        t: true,
      },
    );
  });

  it('runs operations in request order, each after the POSTs it references', () => {
    const body = {
      Operations: [
        post('g', { displayName: 'G', members: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }] }, '/Groups'),
        post('u1'),
        { method: 'DELETE', path: '/Users/zzz' },
        post('u2'),
      ],
    };
    assert.deepEqual(order(body), [
      [1, 'ok'],
      [2, 'ok'],
      [3, 'ok'],
      [0, 'ok'],
    ]);
  });

  it('fails unknown, self and circular references, and runs the rest', () => {
    const body = {
      Operations: [
        post('a', { manager: { value: 'bulkId:b' } }),
        post('b', { manager: { value: 'bulkId:a' } }),
        post('c', { manager: { value: 'bulkId:nope' } }),
        post('d', { manager: { value: 'bulkId:d' } }),
        post('e'),
        { method: 'PATCH', path: '/Users/bulkId:c', data: { Operations: [] } },
      ],
    };
    const result = new Map(order(body) as [number, string][]);
    assert.match(result.get(0) ?? '', /cycle/);
    assert.match(result.get(1) ?? '', /cycle/);
    assert.match(result.get(2) ?? '', /no valid POST/);
    assert.match(result.get(3) ?? '', /its own bulkId/);
    assert.equal(result.get(4), 'ok');
    // Waits for c, which will fail when run; the executor then fails it as depending on a failed operation.
    assert.equal(result.get(5), 'ok');
    const ops = planBulk(parseBulkRequest(body)).map((op) => op.index);
    assert.ok(ops.indexOf(5) > ops.indexOf(2));
  });
});

describe('bulk: response', () => {
  it('lists results in request order with string statuses and error bodies', () => {
    const body = bulkResponse([
      { index: 1, method: 'DELETE', status: 404, error: new ScimError(404, undefined, 'gone') },
      { index: 0, method: 'POST', bulkId: 'a', status: 201, location: 'https://x/Users/1', version: 'W/"1"' },
    ]);
    assert.deepEqual(body, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
      Operations: [
        { method: 'POST', bulkId: 'a', version: 'W/"1"', location: 'https://x/Users/1', status: '201' },
        {
          method: 'DELETE',
          status: '404',
          response: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '404',
            detail: 'gone',
          },
        },
      ],
    });
  });
});
