/**
 * Every identity provider's deviation from RFC 7643/7644, normalised here and nowhere else.
 * Each function names the provider it exists for; `notes` collects what was applied so the
 * provisioning log can show it.
 */

import type { FilterLiteral, FilterNode } from './filter/ast.js';
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER } from './schema-model.js';

export type Notes = string[];

const SCHEMA_ALIASES: Record<string, { canonical: string; note: string }> = {
  // Entra ID tutorial example 2 sends the enterprise URN without the ':' before "User".
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0user': {
    canonical: ENTERPRISE_USER,
    note: 'entra: malformed enterprise URN "…:2.0User" read as the Enterprise User extension',
  },
  // OneLogin's "Core Schema" template uses the SCIM 1.0 core URN.
  'urn:scim:schemas:core:1.0': {
    canonical: CORE_USER,
    note: 'onelogin: SCIM 1.0 core URN read as the SCIM 2.0 User schema',
  },
  // Entra ID adds its own group schema URN to POST /Groups.
  'http://schemas.microsoft.com/2006/11/resourcemanagement/adscim/2.0/group': {
    canonical: CORE_GROUP,
    note: 'entra: Microsoft ADSCIM group schema URN ignored',
  },
  // Some clients (Entra's own validator) send the enterprise extension URN for the group as well.
};

/** Maps a schema URN a client sent to the one we know it means (Entra, OneLogin); unknown URNs come back unchanged. */
export function canonicalSchemaUrn(urn: string, notes: Notes): string {
  const alias = SCHEMA_ALIASES[urn.toLowerCase()];
  if (!alias) return urn;
  notes.push(alias.note);
  return alias.canonical;
}

/** Entra ID sends booleans as "True"/"False" strings (POST "active":"True", PATCH values and value filters). */
export function coerceBooleanString(value: unknown, notes: Notes): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') {
    notes.push(`entra: string "${value}" read as boolean`);
    return lower === 'true';
  }
  return value;
}

/** Entra ID sends the single-valued `manager` as an array of one `{value,$ref}` object. */
export function unwrapSingleElementArray(value: unknown, attribute: string, notes: Notes): unknown {
  if (Array.isArray(value) && value.length <= 1) {
    notes.push(`entra: one-element array for single-valued "${attribute}" unwrapped`);
    return value.length === 0 ? null : value[0];
  }
  return value;
}

/** Entra's "SCIM Inbound" collection sends `manager` as a bare id string instead of `{value}`. */
export function wrapBareValue(value: unknown, attribute: string, notes: Notes): unknown {
  if (typeof value === 'string' || typeof value === 'number') {
    notes.push(`entra: bare value for complex "${attribute}" read as {"value": …}`);
    return { value: String(value) };
  }
  return value;
}

/** Several clients (Okta custom attributes, Ping) send numbers for string attributes such as employeeNumber. */
export function coerceNumberToString(value: unknown, attribute: string, notes: Notes): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) {
    notes.push(`number for string "${attribute}" stored as text`);
    return String(value);
  }
  return value;
}

/** Entra sends capitalised PATCH ops ("Replace", "Add", "Remove"). */
export function normaliseOp(op: unknown, notes: Notes): unknown {
  if (typeof op !== 'string') return op;
  const lower = op.toLowerCase();
  if (lower !== op) notes.push(`entra: op "${op}" read as "${lower}"`);
  return lower;
}

/** Microsoft's SCIM Postman suite adds keys PATCH operations don't have (`"name":"addMember"`); they are ignored. */
export function ignoreUnknownOpKeys(
  operation: Record<string, unknown>,
  known: readonly string[],
  notes: Notes,
): void {
  for (const key of Object.keys(operation)) {
    if (!known.includes(key.toLowerCase()))
      notes.push(`microsoft: unknown key "${key}" in a PATCH operation ignored`);
  }
}

/** Microsoft's SCIM Postman suite sends a group member as a bare id string (`"value":"string id 1"`). */
export function wrapBareMember(value: unknown, notes: Notes): unknown {
  if (typeof value === 'string' || typeof value === 'number') {
    notes.push(`microsoft: bare member "${value}" read as {"value": …}`);
    return { value: String(value) };
  }
  return value;
}

/** Entra's "SCIM Inbound" collection writes extension paths with a dot: `…:enterprise:2.0:User.manager`. */
export function rewriteDottedExtensionPath(path: string, schemaIds: readonly string[], notes: Notes): string {
  const lower = path.toLowerCase();
  for (const id of schemaIds) {
    if (lower.startsWith(`${id.toLowerCase()}.`)) {
      const fixed = `${id}:${path.slice(id.length + 1)}`;
      notes.push(`entra: extension path "${path}" read as "${fixed}"`);
      return fixed;
    }
  }
  return path;
}

/** Entra (aadOptscim062020) sends pathless values whose keys are sub-attribute (`name.givenName`) or URN paths. */
export function splitPathlessValue(
  value: Record<string, unknown>,
  notes: Notes,
): { path: string; value: unknown }[] {
  return Object.entries(value).map(([path, v]) => {
    if (path.includes('.') || path.includes(':'))
      notes.push(`entra: pathless value key "${path}" applied as a path`);
    return { path, value: v };
  });
}

/** Okta repeats the resource's own `id` in a pathless group replace; read-only keys in a value are ignored (RFC 7643 §2.2). */
export function ignoreReadOnlyInValue(
  key: string,
  value: unknown,
  id: string | undefined,
  notes: Notes,
): void {
  const differs = typeof value === 'string' && id !== undefined && value !== id;
  notes.push(
    `okta: read-only "${key}" in a pathless value ignored${differs ? ` (it differs from the resource's id "${id}")` : ''}`,
  );
}

/** OneLogin and Entra (without aadOptscim062020) remove members by listing them in `value` instead of a filter path. */
export function noteRemoveByValue(attribute: string, notes: Notes): void {
  notes.push(`onelogin/entra: remove "${attribute}" with a value removes only the listed elements`);
}

/** Entra sends `null` in PATCH replace values (and pathless objects) to mean "unassign". */
export function noteNullAsRemove(attribute: string, notes: Notes): void {
  notes.push(`entra: null for "${attribute}" in a replace removes it`);
}

/** Entra PATCHes filtered paths of elements that don't exist yet (`phoneNumbers[type eq "work"].value`): the filter's equalities seed a new element. */
export function elementFromFilter(
  filter: FilterNode,
  attribute: string,
  notes: Notes,
): Record<string, FilterLiteral> | undefined {
  const out: Record<string, FilterLiteral> = {};
  const collect = (node: FilterNode): boolean => {
    if (node.kind === 'and') return collect(node.left) && collect(node.right);
    if (node.kind !== 'compare' || node.op !== 'eq' || node.path.uri !== undefined) return false;
    const name = node.path.sub ?? node.path.attr;
    if (node.path.sub !== undefined && node.path.attr.toLowerCase() !== attribute.toLowerCase()) return false;
    out[name] = node.value;
    return true;
  };
  if (!collect(filter)) return undefined;
  notes.push(`entra: no "${attribute}" element matched the path filter; one was created from its equalities`);
  return out;
}

/** Entra sends `manager` without the Enterprise URN (`"path":"manager"`); it is resolved in the one extension that has it. */
export function noteUnqualifiedExtensionPath(path: string, urn: string, notes: Notes): void {
  notes.push(`entra: unqualified path "${path}" resolved in "${urn}"`);
}
