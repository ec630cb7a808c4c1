/**
 * PATCH on a relation attribute (Group `members`): never edits the document, it yields the
 * membership changes, in order, for the store to apply as a diff.
 */

import { invalidFilter, invalidPath, invalidValue } from './errors.js';
import type { FilterNode } from './filter/ast.js';
import type { AttributeTarget } from './patch-path.js';
import { isObject, type PatchOpName } from './patch-values.js';
import { type Notes, noteRemoveByValue, wrapBareMember } from './quirks.js';
import { normaliseValue } from './resource.js';
import { type AttributeDef, findAttribute } from './schema-model.js';

/** One membership change; `replace` means "exactly these members". */
export type MemberChange =
  | { op: 'add'; members: { value: string; type?: string }[] }
  | { op: 'remove'; ids: string[] }
  | { op: 'removeAll' }
  | { op: 'replace'; members: { value: string; type?: string }[] };

/** Turns one operation on a relation attribute into a membership change; undefined when it changes nothing. */
export function applyToRelation(
  op: PatchOpName,
  t: AttributeTarget,
  value: unknown,
  notes: Notes,
  selfId: string | undefined,
): MemberChange | undefined {
  const def = t.attribute;
  if (t.filter) {
    if (op !== 'remove' || t.sub) {
      throw invalidPath(
        `"${t.text}": a filter on "${def.name}" is only supported to remove members, as in remove ${def.name}[value eq "<id>"].`,
      );
    }
    const ids = idsFromFilter(t.filter.node, def);
    if (!ids) {
      throw invalidFilter(
        `"${t.text}": "${def.name}" can only be selected by "value eq" comparisons joined by "or".`,
      );
    }
    return { op: 'remove', ids };
  }
  if (t.sub)
    throw invalidPath(`"${t.text}": "${def.name}" is patched as a list of members, not by sub-attribute.`);
  switch (op) {
    case 'add': {
      const members = parseMembers(value, def, notes, selfId);
      if (members.length > 0) return { op: 'add', members };
      notes.push(`add of no "${def.name}": nothing to do`);
      return undefined;
    }
    case 'replace':
      // RFC 7644 §3.5.2.3: replace sets exactly these members (null or [] clears them).
      return { op: 'replace', members: value === null ? [] : parseMembers(value, def, notes, selfId) };
    case 'remove': {
      // RFC 7644 §3.5.2.2: remove without a filter removes all members.
      if (value === undefined || value === null) return { op: 'removeAll' };
      noteRemoveByValue(def.name, notes);
      const ids = parseMembers(value, def, notes, selfId).map((m) => m.value);
      if (ids.length > 0) return { op: 'remove', ids };
      notes.push(`remove of no listed "${def.name}": nothing to do`);
      return undefined;
    }
  }
}

/** Reads member values `{value, type?, display?, $ref?}` (or a bare id string) into unique `{value, type?}`. */
function parseMembers(
  value: unknown,
  def: AttributeDef,
  notes: Notes,
  selfId: string | undefined,
): { value: string; type?: string }[] {
  const idKey = findAttribute(def.subAttributes, 'value')?.name ?? 'value';
  const typeKey = findAttribute(def.subAttributes, 'type')?.name;
  const out: { value: string; type?: string }[] = [];
  const seen = new Set<string>();
  for (const raw of Array.isArray(value) ? value : [value]) {
    const item = wrapBareMember(raw, notes);
    if (!isObject(item))
      throw invalidValue(`"${def.name}" values must be objects such as {"value": "<id>"}.`);
    // Drops read-only `display` and null `$ref`, and type-checks the rest.
    const normalised = normaliseValue(item, def, def.name, notes);
    const element = isObject(normalised) ? normalised : {};
    const id = element[idKey];
    if (typeof id !== 'string' || id === '') {
      throw invalidValue(
        `Each "${def.name}" value needs a "${idKey}" with the member's id; got ${JSON.stringify(raw)}.`,
      );
    }
    if (id === selfId) throw invalidValue(`A resource cannot be a member of itself ("${id}").`);
    if (seen.has(id)) continue;
    seen.add(id);
    const member: { value: string; type?: string } = { value: id };
    const type = typeKey ? element[typeKey] : undefined;
    if (typeof type === 'string') member.type = type;
    out.push(member);
  }
  return out;
}

/** `value eq "a"` or `value eq "a" or value eq "b"` → the ids; anything else → undefined. */
function idsFromFilter(node: FilterNode, def: AttributeDef): string[] | undefined {
  const idName = (findAttribute(def.subAttributes, 'value')?.name ?? 'value').toLowerCase();
  const ids: string[] = [];
  const collect = (n: FilterNode): boolean => {
    if (n.kind === 'or') return collect(n.left) && collect(n.right);
    if (n.kind !== 'compare' || n.op !== 'eq' || n.path.uri !== undefined || n.path.sub !== undefined)
      return false;
    if (n.path.attr.toLowerCase() !== idName) return false;
    if (typeof n.value !== 'string' && typeof n.value !== 'number') return false;
    ids.push(String(n.value));
    return true;
  };
  return collect(node) ? [...new Set(ids)] : undefined;
}
