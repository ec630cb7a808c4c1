/**
 * PATCH add / replace / remove on one attribute of the working document (RFC 7644 §3.5.2.1–3).
 * Values go through resource.ts' normalisers, so they are type-checked and coerced exactly as on POST.
 */

import { invalidValue, mutability, noTarget } from './errors.js';
import { matchesElement } from './filter/evaluate.js';
import { printFilter } from './filter/print.js';
import type { AttributeTarget } from './patch-path.js';
import { elementFromFilter, type Notes, noteNullAsRemove, noteRemoveByValue } from './quirks.js';
import { normaliseAttribute, normaliseValue, type ScimDocument } from './resource.js';
import { type AttributeDef, findAttribute } from './schema-model.js';

export type PatchOpName = 'add' | 'remove' | 'replace';
type Element = Record<string, unknown>;

/** Applies one operation to a (non-relation, writable) attribute of `root`, in place. */
export function applyToDocument(
  root: ScimDocument,
  op: PatchOpName,
  target: AttributeTarget,
  value: unknown,
  notes: Notes,
): void {
  const key = target.containerKey;
  const container: Element = key === null ? root : isObject(root[key]) ? { ...root[key] } : {};
  const name = target.attribute.name;
  const before = container[name];
  const after = target.filter
    ? applyFiltered(op, target, before, value, notes)
    : target.sub
      ? applySub(op, target, target.sub, before, value, notes)
      : applyWhole(op, target, before, value, notes);
  checkImmutable(target.attribute, before, after, target.name);
  if (after === undefined) delete container[name];
  else container[name] = after;
  if (key === null) return;
  if (Object.keys(container).length === 0) delete root[key];
  else root[key] = container;
}

function applyWhole(
  op: PatchOpName,
  t: AttributeTarget,
  before: unknown,
  value: unknown,
  notes: Notes,
): unknown {
  const def = t.attribute;
  if (op === 'remove') {
    if (before === undefined) return nothingToDo(`remove of absent "${t.name}"`, before, notes);
    // OneLogin / Entra legacy: remove with a value removes only the listed elements.
    if (value !== undefined && value !== null && def.multiValued)
      return removeListed(t, before, value, notes);
    return undefined;
  }
  // `null`, or Entra's `[]` for a single-valued attribute, unassigns it.
  if (value === null || (!def.multiValued && Array.isArray(value) && value.length === 0)) {
    return nullValue(op, t.name, before, notes);
  }
  const v = normaliseAttribute(value, def, t.name, notes);
  if (def.multiValued) {
    if (v === undefined)
      return op === 'replace' ? undefined : nothingToDo(`add of no values to "${t.name}"`, before, notes);
    const items = v as unknown[];
    // RFC 7644 §3.5.2.3: replace on a multi-valued attribute replaces all its values.
    if (op === 'replace') return items;
    // RFC 7644 §3.5.2.1: add appends; identical values are not added twice.
    const list = asList(before);
    const touched: number[] = [];
    for (const item of items) {
      let at = list.findIndex((e) => deepEqual(e, item));
      if (at < 0) at = list.push(item) - 1;
      touched.push(at);
    }
    enforceSinglePrimary(def, list as Element[], touched, t.name, notes);
    return list;
  }
  if (def.type === 'complex') {
    // RFC 7644 §3.5.2.1/§3.5.2.3: sub-attributes not in the value are left unchanged.
    const patch = (v ?? {}) as Element;
    return nonEmpty(mergeElement(def, isObject(before) ? before : {}, patch, nulledKeys(value, def)));
  }
  if (v === undefined)
    return op === 'replace' ? undefined : nothingToDo(`add of an empty "${t.name}"`, before, notes);
  return v;
}

function applySub(
  op: PatchOpName,
  t: AttributeTarget,
  sub: AttributeDef,
  before: unknown,
  value: unknown,
  notes: Notes,
): unknown {
  const def = t.attribute;
  const label = `${t.name}.${sub.name}`;
  if (def.multiValued) {
    // `emails.type` without a filter targets every element.
    const list = asList(before).map((e) => (isObject(e) ? { ...e } : e));
    if (op === 'remove' || value === null) {
      if (op !== 'remove') noteNullAsRemove(label, notes);
      for (const e of list) if (isObject(e)) delete e[sub.name];
      return nonEmptyList(list);
    }
    const v = normaliseAttribute(value, sub, label, notes);
    if (v === undefined) return nothingToDo(`empty value for "${label}"`, before, notes);
    if (list.length === 0) list.push({ [sub.name]: v });
    for (const e of list) if (isObject(e)) e[sub.name] = v;
    enforceSinglePrimary(def, list as Element[], [...list.keys()], t.name, notes);
    return list;
  }
  const obj: Element = isObject(before) ? { ...before } : {};
  if (op === 'remove') {
    if (obj[sub.name] === undefined) return nothingToDo(`remove of absent "${label}"`, before, notes);
    delete obj[sub.name];
    return nonEmpty(obj);
  }
  if (value === null) {
    if (op === 'add' || obj[sub.name] === undefined)
      return nothingToDo(`null for absent "${label}"`, before, notes);
    noteNullAsRemove(label, notes);
    delete obj[sub.name];
    return nonEmpty(obj);
  }
  const v = normaliseAttribute(value, sub, label, notes);
  if (v === undefined) return nothingToDo(`empty value for "${label}"`, before, notes);
  const next = sub.multiValued && op === 'add' ? appendUnique(asList(obj[sub.name]), v as unknown[]) : v;
  return mergeElement(def, obj, { [sub.name]: next }, []);
}

function applyFiltered(
  op: PatchOpName,
  t: AttributeTarget,
  before: unknown,
  value: unknown,
  notes: Notes,
): unknown {
  const def = t.attribute;
  const filter = t.filter!;
  const list = asList(before).map((e) => (isObject(e) ? { ...e } : e));
  const matched = [...list.keys()].filter((i) => {
    const e = list[i];
    return isObject(e) && matchesElement(e, filter.checked);
  });
  const sub = t.sub;

  if (op === 'remove' || (value === null && !sub)) {
    // RFC 7644 §3.5.2.2: remove with a filter matching nothing is a harmless no-op here.
    if (matched.length === 0) return nothingToDo(`no "${t.text}" element to remove`, before, notes);
    if (op !== 'remove') noteNullAsRemove(t.text, notes);
    if (!sub) return nonEmptyList(list.filter((_, i) => !matched.includes(i)));
    for (const i of matched) delete (list[i] as Element)[sub.name];
    return nonEmptyList(list);
  }

  let patch: Element;
  let nulled: string[] = [];
  if (sub) {
    const v = value === null ? undefined : normaliseAttribute(value, sub, `${t.name}.${sub.name}`, notes);
    patch = v === undefined ? {} : { [sub.name]: v };
    if (v === undefined) nulled = [sub.name];
  } else {
    patch = (normaliseValue(value, def, t.name, notes) ?? {}) as Element;
    nulled = nulledKeys(value, def);
  }

  let touched: number[];
  if (matched.length > 0) {
    // RFC 7644 §3.5.2.3: replace (and add) with a value filter update the matched elements.
    for (const i of matched) list[i] = mergeElement(def, list[i] as Element, patch, nulled);
    touched = matched;
  } else {
    if (Object.keys(patch).length === 0) return nothingToDo(`nothing to set on "${t.text}"`, before, notes);
    // RFC 7644 §3.5.2.3 says noTarget; Entra relies on the element being created from the filter.
    const seed = elementFromFilter(filter.node, def.name, notes);
    if (!seed) {
      throw noTarget(
        `No "${def.name}" element matches [${printFilter(filter.node)}], and the filter is not a set of "eq" ` +
          'comparisons joined by "and" that could describe a new one.',
      );
    }
    const element = { ...((normaliseValue(seed, def, t.name, notes) ?? {}) as Element), ...patch };
    const primary = primaryKey(def);
    // The new element is primary only when it is the attribute's only value (test vector 16).
    if (primary && element[primary] === undefined && list.length === 0) element[primary] = true;
    touched = [list.push(element) - 1];
  }
  enforceSinglePrimary(def, list as Element[], touched, t.name, notes);
  return nonEmptyList(list);
}

/** OneLogin / Entra legacy `{"op":"remove","path":"x","value":[…]}`: drops the listed elements only. */
function removeListed(t: AttributeTarget, before: unknown, value: unknown, notes: Notes): unknown {
  noteRemoveByValue(t.name, notes);
  const def = t.attribute;
  const listed = (Array.isArray(value) ? value : [value])
    .map((item) => normaliseValue(item, def, t.name, notes))
    .filter((item) => item !== null);
  const list = asList(before);
  const remaining = list.filter((e) => !listed.some((item) => sameElement(def, e, item)));
  if (remaining.length === list.length) notes.push(`none of the listed "${t.name}" values was present`);
  return nonEmptyList(remaining);
}

/** Whether a stored element is the one a client listed: same `value` when it gave one, else the same listed keys. */
function sameElement(def: AttributeDef, element: unknown, item: unknown): boolean {
  if (!isObject(element) || !isObject(item)) return sameScalar(def, element, item);
  const valueDef = findAttribute(def.subAttributes, 'value');
  if (valueDef && item[valueDef.name] !== undefined) {
    return sameScalar(valueDef, element[valueDef.name], item[valueDef.name]);
  }
  return Object.entries(item).every(([k, v]) => deepEqual(element[k], v));
}

function sameScalar(def: AttributeDef, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !def.caseExact)
    return a.toLowerCase() === b.toLowerCase();
  return deepEqual(a, b);
}

/**
 * Merges sub-attributes into an element. A `$ref` names the resource its `value` identifies
 * (RFC 7643 §2.4, §7), so a new `value` without a new `$ref` drops the now stale `$ref`.
 */
function mergeElement(def: AttributeDef, before: Element, patch: Element, nulled: string[]): Element {
  const out: Element = { ...before, ...patch };
  for (const k of nulled) delete out[k];
  const valueKey = findAttribute(def.subAttributes, 'value')?.name;
  const refKey = findAttribute(def.subAttributes, '$ref')?.name;
  if (valueKey && refKey && patch[valueKey] !== undefined && patch[refKey] === undefined) {
    if (!deepEqual(before[valueKey], patch[valueKey])) delete out[refKey];
  }
  return out;
}

/** Canonical names of the sub-attributes a complex value sets to null explicitly (Entra: "unassign"). */
function nulledKeys(value: unknown, def: AttributeDef): string[] {
  const obj = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (!isObject(obj)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const sub = findAttribute(def.subAttributes, k);
    if (v === null && sub) out.push(sub.name);
  }
  return out;
}

/**
 * RFC 7643 §2.4: at most one value is primary. An operation that marks a value primary wins and
 * the flag is cleared on the others; marking several at once is invalidValue.
 */
function enforceSinglePrimary(
  def: AttributeDef,
  list: Element[],
  touched: number[],
  name: string,
  notes: Notes,
): void {
  const key = primaryKey(def);
  if (!key) return;
  const marked = [...new Set(touched)].filter((i) => list[i]?.[key] === true);
  if (marked.length > 1)
    throw invalidValue(`"${name}": the operation marks ${marked.length} values primary; at most one may be.`);
  if (marked.length === 0) return;
  let cleared = false;
  list.forEach((e, i) => {
    if (i !== marked[0] && isObject(e) && e[key] === true) {
      delete e[key];
      cleared = true;
    }
  });
  if (cleared)
    notes.push(`"${name}": primary moved to the patched value and cleared on the others (RFC 7643 §2.4)`);
}

function primaryKey(def: AttributeDef): string | undefined {
  const primary = findAttribute(def.subAttributes, 'primary');
  return primary?.type === 'boolean' ? primary.name : undefined;
}

/** RFC 7643 §2.2: an immutable attribute may be set when it has no value, never changed afterwards. */
function checkImmutable(def: AttributeDef, before: unknown, after: unknown, name: string): void {
  if (def.mutability === 'immutable' && before !== undefined && !deepEqual(before, after)) {
    throw mutability(`"${name}" is immutable and already has a value.`);
  }
  if (def.multiValued || !isObject(before)) return;
  for (const sub of def.subAttributes ?? []) {
    const was = before[sub.name];
    if (sub.mutability !== 'immutable' || was === undefined) continue;
    if (!deepEqual(was, isObject(after) ? after[sub.name] : undefined)) {
      throw mutability(`"${name}.${sub.name}" is immutable and already has a value.`);
    }
  }
}

function nullValue(op: PatchOpName, name: string, before: unknown, notes: Notes): unknown {
  if (op === 'add' || before === undefined) return nothingToDo(`null value for "${name}"`, before, notes);
  noteNullAsRemove(name, notes);
  return undefined;
}

function nothingToDo(what: string, before: unknown, notes: Notes): unknown {
  notes.push(`${what}: nothing to do`);
  return before;
}

function appendUnique(list: unknown[], items: unknown[]): unknown[] {
  const out = [...list];
  for (const item of items) if (!out.some((e) => deepEqual(e, item))) out.push(item);
  return out;
}

function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? [...v] : [v];
}

function nonEmpty(obj: Element): Element | undefined {
  return Object.keys(obj).length > 0 ? obj : undefined;
}

function nonEmptyList(list: unknown[]): unknown[] | undefined {
  const kept = list.filter((e) => e !== undefined && !(isObject(e) && Object.keys(e).length === 0));
  return kept.length > 0 ? kept : undefined;
}

/** A JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
  return keys.every((k) => deepEqual(a[k], b[k]));
}
