/**
 * The PATCH engine (RFC 7644 §3.5.2), pure: a stored document and a PatchOp body in, the new
 * document and the list of changes out. Operations apply in order to a deep copy, so a failing
 * operation leaves nothing applied (the request is atomic) and the input is never mutated.
 */

import {
  invalidFilter,
  invalidPath,
  invalidSyntax,
  invalidValue,
  mutability,
  noTarget,
  ScimError,
  type ScimType,
} from './errors.js';
import { applyToRelation, type MemberChange } from './patch-members.js';
import { type AttributeTarget, resolvePatchPath } from './patch-path.js';
import { applyToDocument, deepEqual, isObject, type PatchOpName } from './patch-values.js';
import {
  ignoreReadOnlyInValue,
  ignoreUnknownOpKeys,
  type Notes,
  normaliseOp,
  splitPathlessValue,
} from './quirks.js';
import type { ScimDocument } from './resource.js';
import type { ResourceContext } from './resource-types.js';
import { PATCH_OP, type SchemaDef } from './schema-model.js';

export type { MemberChange } from './patch-members.js';
export type { PatchOpName } from './patch-values.js';

/** The resource being patched: core attributes top-level, extension attributes under their URN; no id/meta/schemas. */
export interface PatchTarget {
  document: ScimDocument;
  externalId: string | null;
}

/** What a PATCH did; `changed` is false when nothing differs and no membership changed. */
export interface PatchResult {
  document: ScimDocument;
  externalId: string | null;
  changed: boolean;
  /** Top-level canonical names that differ (`urn:…:User:manager` for extension attributes; the relation's name for member changes). */
  changedAttributes: string[];
  memberChanges: MemberChange[];
  /** Client quirks normalised and no-ops met, for the provisioning log. */
  notes: string[];
}

/** One validated operation of a PatchOp body. */
export interface PatchOperation {
  op: PatchOpName;
  /** The target path, trimmed; absent for a pathless add/replace. */
  path?: string;
  /** The value as sent; undefined when the operation had none (`null` is kept: it means "unassign"). */
  value?: unknown;
}

/** RFC 7644 §3.5.2 does not bound it; Okta batches up to 1000 changes per request. */
export const MAX_OPERATIONS = 1000;
const OP_KEYS = ['op', 'path', 'value'] as const;
// The common attribute kept beside the document (PatchTarget.externalId), patched as part of the working root.
const EXTERNAL_ID = 'externalId';

/** Validates a PatchOp envelope (RFC 7644 §3.5.2) into operations; malformed bodies are invalidSyntax or invalidValue. */
export function parsePatchRequest(body: unknown, notes: Notes): PatchOperation[] {
  if (!isObject(body))
    throw invalidSyntax('The PATCH body must be a JSON object with "schemas" and "Operations".');
  const schemas = member(body, 'schemas');
  if (schemas === undefined || schemas === null) {
    notes.push(`PatchOp body without "schemas" accepted`);
  } else if (
    !Array.isArray(schemas) ||
    !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP.toLowerCase())
  ) {
    throw invalidSyntax(`"schemas" must contain "${PATCH_OP}".`);
  }
  const operations = member(body, 'Operations');
  if (operations === undefined || operations === null)
    throw invalidSyntax('The PATCH body has no "Operations" array.');
  if (!Array.isArray(operations)) throw invalidSyntax('"Operations" must be an array of operations.');
  if (operations.length === 0) throw invalidValue('"Operations" is empty; send at least one operation.');
  if (operations.length > MAX_OPERATIONS) {
    throw invalidValue(
      `"Operations" has ${operations.length} operations; at most ${MAX_OPERATIONS} are accepted.`,
    );
  }
  return operations.map((raw, i) => parseOperation(raw, i, notes));
}

function parseOperation(raw: unknown, i: number, notes: Notes): PatchOperation {
  const at = `Operations[${i}]`;
  if (!isObject(raw)) throw invalidSyntax(`${at} must be an object with "op", "path" and "value".`);
  ignoreUnknownOpKeys(raw, OP_KEYS, notes);
  const rawOp = member(raw, 'op');
  if (rawOp === undefined || rawOp === null)
    throw invalidSyntax(`${at} has no "op"; expected add, remove or replace.`);
  const op = normaliseOp(rawOp, notes);
  if (op !== 'add' && op !== 'remove' && op !== 'replace') {
    throw invalidSyntax(`${at}.op ${JSON.stringify(rawOp)} is not one of add, remove, replace.`);
  }
  const out: PatchOperation = { op };
  const path = member(raw, 'path');
  if (path !== undefined && path !== null) {
    if (typeof path !== 'string') throw invalidPath(`${at}.path must be a string.`);
    if (path.trim() === '') notes.push(`${at}: empty "path" read as no path`);
    else out.path = path.trim();
  }
  const value = member(raw, 'value');
  if (value !== undefined) out.value = value;
  // RFC 7644 §3.5.2.1 and §3.5.2.3: add and replace MUST carry a value.
  if (op !== 'remove' && value === undefined) throw invalidValue(`${at} ("${op}") has no "value".`);
  // RFC 7644 §3.5.2.2: remove without path → noTarget.
  if (op === 'remove' && out.path === undefined) throw noTarget(`${at} is a "remove" without a "path".`);
  return out;
}

/** A member by its canonical name, else case-insensitively (clients send `operations`, `Op`, `Path`). */
function member(obj: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

interface PatchState {
  ctx: ResourceContext;
  /** The working copy: the document plus `externalId` at the top level. */
  root: ScimDocument;
  notes: Notes;
  memberChanges: MemberChange[];
  relations: Set<string>;
  id: string | undefined;
}

/**
 * Applies a PatchOp body to a resource, atomically and without mutating `target`; any invalid
 * operation throws the matching ScimError and nothing is applied. `options.id` is the resource's
 * id (a group may not contain itself; Okta echoes it in pathless values).
 */
export function applyPatch(
  target: PatchTarget,
  body: unknown,
  ctx: ResourceContext,
  options: { id?: string } = {},
): PatchResult {
  const notes: Notes = [];
  const operations = parsePatchRequest(body, notes);
  // `before` is only read (to tell what changed); the operations work on a deep copy of it.
  const before: ScimDocument = { ...target.document };
  delete before[EXTERNAL_ID];
  if (target.externalId !== null) before[EXTERNAL_ID] = target.externalId;
  const state: PatchState = {
    ctx,
    root: structuredClone(before),
    notes,
    memberChanges: [],
    relations: new Set(),
    id: options.id,
  };
  operations.forEach((operation, i) => {
    try {
      applyOperation(operation, state);
    } catch (error) {
      throw inOperation(error, i, operation);
    }
  });
  checkRequiredKept(before, state.root, ctx);

  const changedAttributes = changedNames(before, state.root, ctx);
  changedAttributes.push(...state.relations);
  const { [EXTERNAL_ID]: externalId, ...document } = state.root;
  return {
    document,
    externalId: typeof externalId === 'string' ? externalId : null,
    changed: changedAttributes.length > 0,
    changedAttributes,
    memberChanges: state.memberChanges,
    notes: [...new Set(notes)],
  };
}

function applyOperation(operation: PatchOperation, state: PatchState): void {
  const { op, path, value } = operation;
  if (path === undefined) {
    // RFC 7644 §3.5.2.1/§3.5.2.3: without a path the value is an object of attributes to add or replace.
    if (!isObject(value)) {
      throw invalidValue(`A "${op}" without "path" needs an object value whose keys are attribute paths.`);
    }
    for (const entry of splitPathlessValue(value, state.notes))
      applyPathlessEntry(op, entry.path, entry.value, state);
    return;
  }
  const target = resolvePatchPath(path, state.ctx, state.notes);
  if (target.kind === 'schema') applyToSchema(op, target.schema, target.core, value, state);
  else applyToTarget(op, target, value, state, false);
}

/** One key of a pathless value (or of a schema-URN value), applied as if it were a path; unknown keys are ignored. */
function applyPathlessEntry(op: PatchOpName, key: string, value: unknown, state: PatchState): void {
  if (key.toLowerCase() === 'schemas') return;
  let target: ReturnType<typeof resolvePatchPath>;
  try {
    target = resolvePatchPath(key, state.ctx, state.notes);
  } catch (error) {
    if (
      !(error instanceof ScimError) ||
      (error.scimType !== 'invalidPath' && error.scimType !== 'invalidFilter')
    ) {
      throw error;
    }
    if (value !== null) state.notes.push(`unknown attribute "${key}" in a pathless value ignored`);
    return;
  }
  if (target.kind === 'schema') applyToSchema(op, target.schema, target.core, value, state);
  else applyToTarget(op, target, value, state, true);
}

/** A path or key naming a schema (`urn:…:enterprise:2.0:User`): its value is an object of that schema's attributes. */
function applyToSchema(
  op: PatchOpName,
  schema: SchemaDef,
  core: boolean,
  value: unknown,
  state: PatchState,
): void {
  if (op === 'remove' || value === null) {
    if (core) throw invalidPath(`"${schema.id}" is the core schema; remove its attributes one by one.`);
    if (op === 'add') return;
    if (state.root[schema.id] === undefined)
      state.notes.push(`remove of absent "${schema.id}": nothing to do`);
    delete state.root[schema.id];
    return;
  }
  if (!isObject(value))
    throw invalidValue(`The value for "${schema.id}" must be an object of its attributes.`);
  for (const [key, v] of Object.entries(value)) {
    applyPathlessEntry(op, core ? key : `${schema.id}:${key}`, v, state);
  }
}

function applyToTarget(
  op: PatchOpName,
  t: AttributeTarget,
  value: unknown,
  state: PatchState,
  lenient: boolean,
): void {
  const { attribute, sub } = t;
  // RFC 7643 §2.2: writeOnly values (password) are accepted and never stored.
  if (attribute.mutability === 'writeOnly' || sub?.mutability === 'writeOnly') {
    state.notes.push(`write-only "${t.name}" accepted and discarded`);
    return;
  }
  if (attribute.relation) {
    // A `"members": null` inside a pathless value would wipe the group; only an explicit path may do that.
    if (lenient && value === null) {
      state.notes.push(
        `null "${attribute.name}" in a pathless value ignored; use an explicit path to clear them`,
      );
      return;
    }
    const change = applyToRelation(op, t, value, state.notes, state.id);
    if (change) {
      state.memberChanges.push(change);
      state.relations.add(attribute.name);
    }
    return;
  }
  if (attribute.mutability === 'readOnly' || attribute.derived || sub?.mutability === 'readOnly') {
    // RFC 7643 §2.2: read-only values in a resource are ignored; an explicit path to one is mutability.
    if (!lenient) throw mutability(`"${t.text}" is read-only.`);
    ignoreReadOnlyInValue(t.text, value, state.id, state.notes);
    return;
  }
  applyToDocument(state.root, op, t, value, state.notes);
}

/** Required attributes (userName, group displayName) cannot be removed: invalidValue, as on PUT (RFC 7644 §3.12 "A required value was missing"). */
function checkRequiredKept(before: ScimDocument, after: ScimDocument, ctx: ResourceContext): void {
  const schemas: [string | null, SchemaDef][] = [
    [null, ctx.core],
    ...ctx.extensions.map((e): [string, SchemaDef] => [e.id, e]),
  ];
  for (const [key, schema] of schemas) {
    const was = key === null ? before : before[key];
    const now = key === null ? after : after[key];
    for (const a of schema.attributes) {
      if (!a.required || a.derived || a.mutability === 'readOnly') continue;
      if (isSet(isObject(was) ? was[a.name] : undefined) && !isSet(isObject(now) ? now[a.name] : undefined)) {
        throw invalidValue(
          `"${key === null ? a.name : `${key}:${a.name}`}" is required and cannot be removed.`,
        );
      }
    }
  }
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/** Top-level names whose values differ; extension attributes are named `urn:…:attr`. */
function changedNames(before: ScimDocument, after: ScimDocument, ctx: ResourceContext): string[] {
  const extensions = new Set(ctx.extensions.map((e) => e.id));
  const out: string[] = [];
  for (const key of unionKeys(before, after)) {
    const a = before[key];
    const b = after[key];
    if (!extensions.has(key)) {
      if (!deepEqual(a, b)) out.push(key);
      continue;
    }
    const ea = isObject(a) ? a : {};
    const eb = isObject(b) ? b : {};
    for (const sub of unionKeys(ea, eb)) if (!deepEqual(ea[sub], eb[sub])) out.push(`${key}:${sub}`);
  }
  return out;
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

const REBUILD: Partial<Record<ScimType, (detail: string) => ScimError>> = {
  invalidFilter,
  invalidPath,
  invalidSyntax,
  invalidValue,
  mutability,
  noTarget,
};

/** Prefixes a protocol error with the operation it came from, for the client and the provisioning log. */
function inOperation(error: unknown, i: number, operation: PatchOperation): unknown {
  if (!(error instanceof ScimError) || error.scimType === undefined) return error;
  const rebuild = REBUILD[error.scimType];
  const where = `Operations[${i}] (${operation.op}${operation.path === undefined ? '' : ` "${operation.path}"`})`;
  return rebuild ? rebuild(`${where}: ${error.detail}`) : error;
}
