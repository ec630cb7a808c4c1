/**
 * RFC 7644 §3.7 Bulk, the pure part: reading a BulkRequest, finding `bulkId:` references, ordering
 * operations so each runs after the POSTs it references, and substituting the created ids.
 */

import { invalidSyntax, invalidValue, payloadTooLarge, type ScimError } from './errors.js';
import { BULK_RESPONSE } from './schema-model.js';

/** Advertised in /ServiceProviderConfig and enforced by POST /Bulk. */
export const BULK_LIMITS = { maxOperations: 1000, maxPayloadSize: 1024 * 1024 } as const;

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type BulkResource = 'Users' | 'Groups';

/** One operation as read from the request; `error` is set when it is malformed (it then fails alone). */
export interface BulkOperation {
  index: number;
  method: BulkMethod | undefined;
  /** The method as sent, echoed in the response when it is not one we know. */
  rawMethod: string;
  bulkId?: string;
  version?: string;
  path: string;
  resource?: BulkResource;
  /** The resource id (or `bulkId:x`) for PUT, PATCH and DELETE. */
  id?: string;
  data?: unknown;
  /** bulkIds this operation references (in its data or path). */
  references: string[];
  error?: ScimError;
}

export interface BulkRequest {
  failOnErrors?: number;
  operations: BulkOperation[];
}

const METHODS: BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const BULK_REF = /^bulkId:(.+)$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(o: Record<string, unknown>, name: string): unknown {
  if (o[name] !== undefined) return o[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(o)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Every `bulkId:x` string anywhere in a value (RFC 7644 §3.7.2), each once, in order of appearance. */
export function findBulkReferences(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    const m = BULK_REF.exec(value);
    if (m?.[1] && !out.includes(m[1])) out.push(m[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) findBulkReferences(v, out);
  } else if (isObject(value)) {
    for (const v of Object.values(value)) findBulkReferences(v, out);
  }
  return out;
}

/** Replaces every `bulkId:x` string with the id created for x (x must be resolved). */
export function resolveBulkReferences(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    const m = BULK_REF.exec(value);
    return m?.[1] !== undefined && ids.has(m[1]) ? ids.get(m[1]) : value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveBulkReferences(v, ids));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveBulkReferences(v, ids);
    return out;
  }
  return value;
}

function readPath(op: BulkOperation, path: string): void {
  // `/Users`, `/Users/{id}`, also with a trailing slash or without the leading one.
  const m = /^\/?(users|groups)(?:\/([^/?#]+))?\/?$/i.exec(path.trim());
  if (!m) {
    op.error = invalidValue(
      `Operation ${op.index}: "path" must be /Users, /Groups, /Users/{id} or /Groups/{id}.`,
    );
    return;
  }
  op.resource = (m[1] as string).toLowerCase() === 'users' ? 'Users' : 'Groups';
  if (m[2] !== undefined) op.id = decodeURIComponent(m[2]);
  if (op.method === 'POST' && op.id !== undefined)
    op.error = invalidValue(`Operation ${op.index}: POST goes to /Users or /Groups.`);
  if (op.method !== 'POST' && op.id === undefined)
    op.error = invalidValue(`Operation ${op.index}: ${op.method} needs a resource id in "path".`);
}

function readOperation(raw: unknown, index: number): BulkOperation {
  const op: BulkOperation = { index, method: undefined, rawMethod: '', path: '', references: [] };
  if (!isObject(raw)) {
    op.error = invalidSyntax(`Operation ${index} is not an object.`);
    return op;
  }
  const method = pick(raw, 'method');
  op.rawMethod = typeof method === 'string' ? method : '';
  const upper = op.rawMethod.toUpperCase() as BulkMethod;
  if (METHODS.includes(upper)) op.method = upper;
  const bulkId = pick(raw, 'bulkId');
  if (typeof bulkId === 'string' && bulkId !== '') op.bulkId = bulkId;
  const version = pick(raw, 'version');
  if (typeof version === 'string' && version !== '') op.version = version;
  const path = pick(raw, 'path');
  op.path = typeof path === 'string' ? path : '';
  op.data = pick(raw, 'data');
  if (!op.method) {
    op.error = invalidSyntax(`Operation ${index}: "method" must be POST, PUT, PATCH or DELETE.`);
    return op;
  }
  if (typeof path !== 'string') {
    op.error = invalidSyntax(`Operation ${index}: "path" is required.`);
    return op;
  }
  // RFC 7644 §3.7: bulkId is required for POST (it is how the client finds its new resource).
  if (op.method === 'POST' && op.bulkId === undefined)
    op.error = invalidSyntax(`Operation ${index}: a POST needs a "bulkId".`);
  else if (op.method !== 'DELETE' && !isObject(op.data))
    op.error = invalidSyntax(`Operation ${index}: "data" must be an object.`);
  else readPath(op, op.path);
  op.references = findBulkReferences([op.data, op.id]);
  return op;
}

/**
 * Reads a BulkRequest (lenient on names' case and on a missing `schemas`). Too many operations is
 * 413 (RFC 7644 §3.7.4); a body that is not a BulkRequest is 400; a malformed operation fails alone.
 */
export function parseBulkRequest(
  body: unknown,
  limits: { maxOperations: number } = BULK_LIMITS,
): BulkRequest {
  if (!isObject(body)) throw invalidSyntax('The request body must be a BulkRequest object.');
  const ops = pick(body, 'Operations');
  if (!Array.isArray(ops)) throw invalidSyntax('"Operations" must be an array of operations.');
  if (ops.length > limits.maxOperations) {
    throw payloadTooLarge(
      `The bulk request has ${ops.length} operations; maxOperations is ${limits.maxOperations}.`,
    );
  }
  const request: BulkRequest = { operations: ops.map(readOperation) };
  const failOnErrors = pick(body, 'failOnErrors');
  if (failOnErrors !== undefined && failOnErrors !== null) {
    const n = typeof failOnErrors === 'string' ? Number(failOnErrors) : failOnErrors;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      throw invalidValue('"failOnErrors" must be a positive integer.');
    request.failOnErrors = n;
  }
  // A bulkId names one new resource: a second POST with the same bulkId fails.
  const seen = new Set<string>();
  for (const op of request.operations) {
    if (op.error || op.method !== 'POST' || op.bulkId === undefined) continue;
    if (seen.has(op.bulkId))
      op.error = invalidValue(`Operation ${op.index}: bulkId "${op.bulkId}" is used by an earlier POST.`);
    seen.add(op.bulkId);
  }
  return request;
}

/**
 * The order to run operations in: request order, except that an operation waits for the POSTs
 * whose bulkIds it references. An operation referencing an unknown bulkId, or caught in a cycle
 * (RFC 7644 §3.7.1), gets its `error` set and fails when its turn comes (cycles come last).
 */
export function planBulk(request: BulkRequest): BulkOperation[] {
  const creators = new Map<string, BulkOperation>();
  for (const op of request.operations)
    if (!op.error && op.method === 'POST' && op.bulkId) creators.set(op.bulkId, op);
  const waitingOn = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const op of request.operations) {
    if (op.error) continue;
    const creatorsOfOp: BulkOperation[] = [];
    for (const ref of op.references) {
      const creator = creators.get(ref);
      if (!creator)
        op.error = invalidValue(`Operation ${op.index}: no valid POST in this request has bulkId "${ref}".`);
      else if (creator === op)
        op.error = invalidValue(`Operation ${op.index}: it references its own bulkId "${ref}".`);
      else creatorsOfOp.push(creator);
      if (op.error) break;
    }
    if (op.error) continue;
    waitingOn.set(op.index, creatorsOfOp.length);
    for (const c of creatorsOfOp) dependents.set(c.index, [...(dependents.get(c.index) ?? []), op.index]);
  }
  // Kahn's algorithm, always taking the earliest ready operation so independent ones keep request order.
  const byIndex = new Map(request.operations.map((op) => [op.index, op]));
  const ready = request.operations.filter((op) => op.error || waitingOn.get(op.index) === 0);
  const order: BulkOperation[] = [];
  const done = new Set<number>();
  while (ready.length > 0) {
    ready.sort((a, b) => a.index - b.index);
    const op = ready.shift() as BulkOperation;
    order.push(op);
    done.add(op.index);
    for (const d of dependents.get(op.index) ?? []) {
      const left = (waitingOn.get(d) ?? 0) - 1;
      waitingOn.set(d, left);
      if (left === 0) ready.push(byIndex.get(d) as BulkOperation);
    }
  }
  for (const op of request.operations) {
    if (done.has(op.index)) continue;
    op.error = invalidValue(
      `Operation ${op.index}: its bulkId references form a cycle (${op.references.join(', ')}).`,
    );
    order.push(op);
  }
  return order;
}

/** One entry of a BulkResponse (RFC 7644 §3.7.3). */
export interface BulkResult {
  index: number;
  method: string;
  bulkId?: string;
  location?: string;
  version?: string;
  status: number;
  error?: ScimError;
}

/** The BulkResponse body: operations in request order; status as a string, errors with their body. */
export function bulkResponse(results: BulkResult[]): Record<string, unknown> {
  const sorted = [...results].sort((a, b) => a.index - b.index);
  return {
    schemas: [BULK_RESPONSE],
    Operations: sorted.map((r) => {
      const out: Record<string, unknown> = { method: r.method };
      if (r.bulkId !== undefined) out.bulkId = r.bulkId;
      if (r.version !== undefined) out.version = r.version;
      if (r.location !== undefined) out.location = r.location;
      out.status = String(r.status);
      if (r.error) out.response = r.error.toJSON();
      return out;
    }),
  };
}
