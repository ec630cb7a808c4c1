import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createGroup, deleteGroup, patchGroup, replaceGroup } from '../../directory/groups.js';
import { createUser, deleteUser, patchUser, replaceUser } from '../../directory/users.js';
import {
  BULK_LIMITS,
  type BulkOperation,
  type BulkResult,
  bulkResponse,
  parseBulkRequest,
  planBulk,
  resolveBulkReferences,
} from '../../scim/bulk.js';
import { internalError, invalidValue, payloadTooLarge, ScimError } from '../../scim/errors.js';
import { etagOf } from '../../scim/render.js';
import { header, type ScimRequestState, type ScimServices, scimState, sendScim } from './context.js';

type Outcome = { status: number; id?: string; version?: number };

/** Runs one operation through the same use case as the single-resource route (its own transaction). */
async function execute(
  services: ScimServices,
  state: ScimRequestState,
  op: BulkOperation,
  data: unknown,
  id: string | undefined,
): Promise<Outcome> {
  const { deps } = services;
  const { caller } = state;
  const users = op.resource === 'Users';
  const ctx = users ? state.userContext : state.groupContext;
  const target = id ?? '';
  switch (op.method) {
    case 'POST': {
      if (users) {
        const r = await createUser(deps, caller, data, ctx);
        state.notes.push(...r.notes);
        return { status: 201, id: r.user.id, version: r.user.version };
      }
      const r = await createGroup(deps, caller, data, ctx);
      state.notes.push(...r.notes);
      return { status: 201, id: r.group.id, version: r.group.version };
    }
    case 'PUT':
    case 'PATCH': {
      const write =
        op.method === 'PUT' ? (users ? replaceUser : replaceGroup) : users ? patchUser : patchGroup;
      const r = await write(deps, caller, target, data, ctx, op.version);
      state.notes.push(...r.notes);
      const version = 'user' in r ? r.user.version : r.group.version;
      return { status: 200, id: target, version };
    }
    case 'DELETE':
      await (users ? deleteUser : deleteGroup)(deps, caller, target, op.version);
      return { status: 204, id: target };
    case undefined:
      throw invalidValue(`Operation ${op.index}: unknown method.`);
  }
}

/**
 * Runs a BulkRequest (RFC 7644 §3.7): each operation in its own transaction, in dependency order,
 * `bulkId:` references replaced by the ids created earlier in the request; stops once
 * `failOnErrors` operations have failed. The request as a whole is not atomic.
 */
async function runBulk(services: ScimServices, request: FastifyRequest): Promise<Record<string, unknown>> {
  const state = scimState(request);
  const bulk = parseBulkRequest(request.body, BULK_LIMITS);
  const created = new Map<string, string>();
  const results: BulkResult[] = [];
  let errors = 0;
  for (const op of planBulk(bulk)) {
    if (bulk.failOnErrors !== undefined && errors >= bulk.failOnErrors) break;
    const result: BulkResult = { index: op.index, method: op.method ?? op.rawMethod, status: 0 };
    if (op.bulkId !== undefined) result.bulkId = op.bulkId;
    try {
      if (op.error) throw op.error;
      const missing = op.references.find((ref) => !created.has(ref));
      if (missing !== undefined) {
        throw invalidValue(`Operation ${op.index}: the operation creating bulkId "${missing}" failed.`);
      }
      const data = resolveBulkReferences(op.data, created);
      const id = op.id === undefined ? undefined : (resolveBulkReferences(op.id, created) as string);
      const outcome = await execute(services, state, op, data, id);
      result.status = outcome.status;
      if (outcome.id !== undefined) result.location = `${state.baseUrl}/${op.resource}/${outcome.id}`;
      if (outcome.version !== undefined) result.version = etagOf(outcome.version);
      if (op.method === 'POST' && op.bulkId !== undefined && outcome.id !== undefined)
        created.set(op.bulkId, outcome.id);
    } catch (e) {
      // Anything but a ScimError is a bug: logged with the request id, reported as this operation's 500.
      if (!(e instanceof ScimError))
        request.log.error({ err: e, reqId: request.id, operation: op.index }, 'bulk operation failed');
      const error = e instanceof ScimError ? e : internalError(`Internal error; request id ${request.id}.`);
      result.status = error.status;
      result.error = error;
      errors++;
    }
    results.push(result);
  }
  return bulkResponse(results);
}

/** POST /Bulk, with its own body limit: exactly the advertised maxPayloadSize. */
export function registerBulkRoutes(app: FastifyInstance, services: ScimServices): void {
  const tooLarge = () =>
    payloadTooLarge(`The bulk request is larger than maxPayloadSize (${BULK_LIMITS.maxPayloadSize} bytes).`);
  app.post(
    '/Bulk',
    {
      bodyLimit: BULK_LIMITS.maxPayloadSize,
      // RFC 7644 §3.7.4: refuse by the declared length before reading the body; the body limit covers chunked bodies.
      preParsing: async (request, _reply, payload) => {
        const length = Number(header(request, 'content-length') ?? '0');
        if (length > BULK_LIMITS.maxPayloadSize) throw tooLarge();
        return payload;
      },
    },
    async (request, reply) => sendScim(reply, 200, await runBulk(services, request)),
  );
}
