/**
 * The in-memory filter evaluator over a rendered SCIM resource (RFC 7644 §3.4.2.2): PATCH value
 * filters use it, and it is the oracle the SQL compiler is tested against. Meaning (ne, not,
 * null, absent values) is fixed by check.ts; this file only applies it.
 */

import type { SchemaContext } from '../paths.js';
import type { AttributeDef } from '../schema-model.js';
import type { FilterNode } from './ast.js';
import {
  type CheckedFilter,
  type CheckedOp,
  type CheckedTarget,
  type CheckedValue,
  checkFilter,
  checkValueFilter,
} from './check.js';
import { compareInstants, parseDateTime } from './date-time.js';

/** Whether a rendered resource matches a filter; an unknown attribute or ill-typed comparison is invalidFilter. */
export function matchesFilter(
  resource: Record<string, unknown>,
  node: FilterNode,
  ctx: SchemaContext,
): boolean {
  return matchesChecked(resource, checkFilter(node, ctx));
}

/** Whether a rendered resource matches an already checked filter (check once, test many resources). */
export function matchesChecked(resource: Record<string, unknown>, filter: CheckedFilter): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesChecked(resource, filter.left) && matchesChecked(resource, filter.right);
    case 'or':
      return matchesChecked(resource, filter.left) || matchesChecked(resource, filter.right);
    case 'not':
      return !matchesChecked(resource, filter.filter);
    case 'present': {
      const { target } = filter;
      if (target.sub) return valuesOf(resource, target).some((v) => isPresent(v, target.leaf));
      const v = attributeValue(resource, target);
      return target.attribute.multiValued ? Array.isArray(v) && v.length > 0 : isPresent(v, target.attribute);
    }
    case 'compare':
      return valuesOf(resource, filter.target).some((v) => compareValue(v, filter.op, filter.value));
    case 'valuePath':
      return elementsOf(attributeValue(resource, filter.target), filter.target.attribute).some((e) =>
        matchesElement(e, filter.filter),
      );
  }
}

/** Whether one element of a multi-valued (or complex) attribute matches a PATCH value filter such as `type eq "work"`. */
export function matchesValueFilter(element: unknown, filter: FilterNode, parent: AttributeDef): boolean {
  return isObject(element) && matchesElement(element, checkValueFilter(filter, parent));
}

/** Evaluates the filter of a valuePath against one element (its targets' leaves are sub-attributes). */
export function matchesElement(element: Record<string, unknown>, filter: CheckedFilter): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesElement(element, filter.left) && matchesElement(element, filter.right);
    case 'or':
      return matchesElement(element, filter.left) || matchesElement(element, filter.right);
    case 'not':
      return !matchesElement(element, filter.filter);
    case 'present':
      return isPresent(element[filter.target.leaf.name], filter.target.leaf);
    case 'compare':
      return compareValue(element[filter.target.leaf.name], filter.op, filter.value);
    case 'valuePath':
      // The grammar has no valuePath inside a valuePath (RFC 7644 §3.4.2.2 valFilter).
      return false;
  }
}

/**
 * "Present" (RFC 7644 §3.4.2.2 pr): a value of the attribute's type that is not empty. Strings
 * must be non-empty, complex values must have a key; a value of the wrong type is not present.
 */
export function isPresent(v: unknown, def: AttributeDef): boolean {
  switch (def.type) {
    case 'complex':
      return isObject(v) && Object.keys(v).length > 0;
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
    case 'decimal':
      return typeof v === 'number';
    default:
      return typeof v === 'string' && v !== '';
  }
}

function compareValue(v: unknown, op: CheckedOp, literal: CheckedValue): boolean {
  switch (literal.type) {
    case 'boolean':
      return v === literal.value;
    case 'number':
      return typeof v === 'number' && ordered(v < literal.value ? -1 : v > literal.value ? 1 : 0, op);
    case 'dateTime': {
      const instant = typeof v === 'string' ? parseDateTime(v) : undefined;
      return instant !== undefined && ordered(compareInstants(instant, literal.value), op);
    }
    case 'string': {
      if (typeof v !== 'string') return false;
      const a = literal.caseExact ? v : v.toLowerCase();
      const b = literal.caseExact ? literal.value : literal.value.toLowerCase();
      if (op === 'co') return a.includes(b);
      if (op === 'sw') return a.startsWith(b);
      if (op === 'ew') return a.endsWith(b);
      return ordered(a < b ? -1 : a > b ? 1 : 0, op);
    }
  }
}

function ordered(cmp: number, op: CheckedOp): boolean {
  switch (op) {
    case 'eq':
      return cmp === 0;
    case 'gt':
      return cmp > 0;
    case 'ge':
      return cmp >= 0;
    case 'lt':
      return cmp < 0;
    case 'le':
      return cmp <= 0;
    default:
      return false;
  }
}

/** The attribute's value in the resource (documentKeys without the trailing sub-attribute). */
function attributeValue(resource: Record<string, unknown>, target: CheckedTarget): unknown {
  const keys = target.sub ? target.documentKeys.slice(0, -1) : target.documentKeys;
  let v: unknown = resource;
  for (const key of keys) {
    if (!isObject(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** Every value the target denotes: one per element for multi-valued attributes (RFC 7644 §3.4.2.2 "any value"). */
function valuesOf(resource: Record<string, unknown>, target: CheckedTarget): unknown[] {
  const v = attributeValue(resource, target);
  const sub = target.sub;
  if (!sub) return target.attribute.multiValued ? (Array.isArray(v) ? v : []) : [v];
  return elementsOf(v, target.attribute).map((e) => e[sub.name]);
}

/** The elements of a complex attribute: the array's objects when multi-valued, else the one object. */
function elementsOf(v: unknown, attribute: AttributeDef): Record<string, unknown>[] {
  if (attribute.multiValued) return Array.isArray(v) ? v.filter(isObject) : [];
  return isObject(v) ? [v] : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
