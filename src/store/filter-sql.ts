/**
 * Compiles a SCIM filter AST to an SQL condition for SQLite and PostgreSQL. The meaning is the
 * one check.ts fixes and the evaluator implements (tested against it on random data); this file
 * only chooses where each value is read from, in this order:
 * - a dedicated column (`column` hint: userName, displayName, active, externalId, id, meta.*);
 * - the membership table for `relation` attributes (Group members);
 * - the values table for `indexedValues` attributes (emails), when the condition fits it;
 * - otherwise the JSON document in `data`.
 */

import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { invalidFilter } from '../scim/errors.js';
import type { FilterNode } from '../scim/filter/ast.js';
import { type CheckedFilter, type CheckedTarget, checkFilter } from '../scim/filter/check.js';
import type { SchemaContext } from '../scim/paths.js';
import type { AttributeDef } from '../scim/schema-model.js';
import type { Engine } from './db.js';
import {
  childRef,
  columnRef,
  compareSql,
  FALSE,
  jsonRef,
  jsonTypeIs,
  nonEmptyArraySql,
  presentSql,
  type ValueRef,
} from './filter-sql-leaf.js';

export interface CompileFilterOptions {
  engine: Engine;
  ctx: SchemaContext;
  table: 'users' | 'groups';
  /** Alias of the resource table in the enclosing query, e.g. `u` in `FROM users u`. */
  alias: string;
  workspaceId: string;
}

/** Where a relation attribute's elements are kept: one row per element. */
interface RelationStorage {
  table: string;
  ownerColumn: string;
  columns: Record<string, { column: string }>;
}

// The store's layout of `relation` attributes, per resource table (see migrations/).
const RELATIONS: Record<CompileFilterOptions['table'], RelationStorage | undefined> = {
  groups: {
    table: 'group_members',
    ownerColumn: 'group_id',
    columns: { value: { column: 'member_id' }, type: { column: 'member_type' } },
  },
  users: undefined,
};

// The values table of `indexedValues` attributes: value_norm is the lower-cased value, one row per
// element whose value is a non-empty string; type as sent; is_primary 1 when primary is true.
const VALUE_TABLES: Record<CompileFilterOptions['table'], string | undefined> = {
  users: 'user_values',
  groups: undefined,
};

/**
 * Compiles a filter to a condition on the row aliased `opts.alias`; an unknown attribute, an
 * ill-typed comparison or an attribute the store cannot search is an invalidFilter ScimError.
 */
export function compileFilter(node: FilterNode, opts: CompileFilterOptions): RawBuilder<SqlBool> {
  return compileChecked(checkFilter(node, opts.ctx), opts);
}

/** Compiles an already checked filter (see checkFilter). */
export function compileChecked(filter: CheckedFilter, opts: CompileFilterOptions): RawBuilder<SqlBool> {
  return createCompiler(opts).top(filter);
}

type Field = (leaf: AttributeDef) => ValueRef;

function createCompiler(opts: CompileFilterOptions) {
  const { engine, alias, workspaceId } = opts;
  let elements = 0;
  const data = sql.ref(`${alias}.data`);
  const id = sql.ref(`${alias}.id`);

  function top(f: CheckedFilter): RawBuilder<SqlBool> {
    switch (f.kind) {
      case 'and':
        return sql<SqlBool>`(${top(f.left)} AND ${top(f.right)})`;
      case 'or':
        return sql<SqlBool>`(${top(f.left)} OR ${top(f.right)})`;
      case 'not':
        // SCIM filters are two-valued: a NULL (absent value) inside means "no match" before negation.
        return sql<SqlBool>`(NOT COALESCE(${top(f.filter)}, FALSE))`;
      case 'present':
      case 'compare':
      case 'valuePath':
        return attribute(f);
    }
  }

  function element(f: CheckedFilter, field: Field): RawBuilder<SqlBool> {
    switch (f.kind) {
      case 'and':
        return sql<SqlBool>`(${element(f.left, field)} AND ${element(f.right, field)})`;
      case 'or':
        return sql<SqlBool>`(${element(f.left, field)} OR ${element(f.right, field)})`;
      case 'not':
        return sql<SqlBool>`(NOT COALESCE(${element(f.filter, field)}, FALSE))`;
      case 'present':
        return presentSql(field(f.target.leaf), f.target.leaf);
      case 'compare':
        return compareSql(engine, field(f.target.leaf), f.op, f.value);
      case 'valuePath':
        throw new Error('filter-sql: a valuePath inside a valuePath cannot be parsed');
    }
  }

  /** A present, compare or valuePath node at the resource level. */
  function attribute(f: CheckedFilter & { kind: 'present' | 'compare' | 'valuePath' }): RawBuilder<SqlBool> {
    const { target } = f;
    const attr = target.attribute;
    const leaf = target.leaf;
    if (f.kind !== 'valuePath' && leaf.column && !attr.multiValued) {
      const ref = columnRef(
        alias,
        leaf.column,
        leaf.type === 'string' && !leaf.caseExact ? `${leaf.column}_norm` : undefined,
      );
      return f.kind === 'present' ? presentSql(ref, leaf) : compareSql(engine, ref, f.op, f.value);
    }
    // An element-level condition equivalent to f, for attributes whose elements are rows or objects.
    const perElement = elementCondition(f);
    if (attr.relation) return relation(target, perElement);
    if (attr.derived) {
      if (f.kind === 'valuePath' && !attr.multiValued) {
        // meta[lastModified gt "…"]: the one object's sub-attributes are columns.
        return element(f.filter, (sub) => derivedColumn(target, sub));
      }
      throw notSearchable(target);
    }
    if (attr.indexedValues && perElement && isIndexable(perElement, attr)) {
      const table = VALUE_TABLES[opts.table];
      if (table) return indexed(table, attr, perElement);
    }
    return json(f);
  }

  function json(f: CheckedFilter & { kind: 'present' | 'compare' | 'valuePath' }): RawBuilder<SqlBool> {
    const { target } = f;
    const attr = target.attribute;
    const attrKeys = target.sub ? target.documentKeys.slice(0, -1) : target.documentKeys;
    const ref = jsonRef(engine, data, attrKeys);
    if (!attr.multiValued) {
      if (f.kind === 'valuePath') {
        // A single complex value is the one element (RFC 7644 §3.4.2.2 applies to complex attributes).
        return sql<SqlBool>`(${jsonTypeIs(ref, 'object')} AND ${element(f.filter, (sub) => childRef(ref, sub.name))})`;
      }
      const leafRef = target.sub ? childRef(ref, target.sub.name) : ref;
      return f.kind === 'present'
        ? presentSql(leafRef, target.leaf)
        : compareSql(engine, leafRef, f.op, f.value);
    }
    if (f.kind === 'present' && !target.sub) return nonEmptyArraySql(ref);
    // Multi-valued: some element matches (RFC 7644 §3.4.2.2, "any value").
    const perElement = elementCondition(f);
    if (!perElement) {
      // A simple multi-valued attribute: compare the elements themselves.
      return existsElement(ref, false, (e) =>
        f.kind === 'compare' ? compareSql(engine, e, f.op, f.value) : FALSE,
      );
    }
    return existsElement(ref, true, (e) => element(perElement, (sub) => childRef(e, sub.name)));
  }

  /** EXISTS an element of the JSON array at `ref` for which `condition` holds; `objects` keeps only objects. */
  function existsElement(
    ref: ValueRef,
    objects: boolean,
    condition: (e: ValueRef) => RawBuilder<SqlBool>,
  ): RawBuilder<SqlBool> {
    const e = `${alias}_e${++elements}`;
    if (ref.kind === 'sqliteJson') {
      const base = sql.ref(`${e}.value`);
      const inner = objects
        ? condition({ kind: 'sqliteJson', base, path: '$' })
        : condition({ kind: 'sqliteAtom', alias: e });
      // CASE, not AND: json_extract on a non-object element's text would raise.
      const guarded = objects
        ? sql`CASE WHEN ${sql.ref(`${e}.type`)} = 'object' THEN ${inner} ELSE 0 END`
        : inner;
      return sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(${ref.base}, ${sql.lit(ref.path)}) AS ${sql.id(e)} WHERE ${jsonTypeIs(ref, 'array')} AND ${guarded})`;
    }
    if (ref.kind !== 'pgJson') throw new Error('filter-sql: elements of a non-JSON value');
    const elementRef: ValueRef = { kind: 'pgJson', jsonb: sql.ref(`${e}.value`) };
    const guard = objects ? sql`${jsonTypeIs(elementRef, 'object')} AND ` : sql``;
    const array = sql`CASE WHEN ${jsonTypeIs(ref, 'array')} THEN ${ref.jsonb} ELSE '[]'::jsonb END`;
    return sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements(${array}) AS ${sql.id(e)}(value) WHERE ${guard}${condition(elementRef)})`;
  }

  function relation(target: CheckedTarget, perElement: CheckedFilter | undefined): RawBuilder<SqlBool> {
    const storage = RELATIONS[opts.table];
    if (!storage) throw notSearchable(target);
    const m = `${alias}_m${++elements}`;
    const from = sql`${sql.table(storage.table)} AS ${sql.id(m)}`;
    const owner = sql.ref(`${m}.${storage.ownerColumn}`);
    const inWorkspace = sql`${sql.ref(`${m}.workspace_id`)} = ${workspaceId}`;
    if (!perElement)
      return sql<SqlBool>`EXISTS (SELECT 1 FROM ${from} WHERE ${inWorkspace} AND ${owner} = ${id})`;
    const condition = element(perElement, (sub) => {
      const mapped = storage.columns[sub.name];
      if (!mapped) throw notSearchable({ ...target, sub, leaf: sub });
      return columnRef(m, mapped.column);
    });
    return sql<SqlBool>`${id} IN (SELECT ${owner} FROM ${from} WHERE ${inWorkspace} AND ${condition})`;
  }

  function indexed(table: string, attr: AttributeDef, perElement: CheckedFilter): RawBuilder<SqlBool> {
    const v = `${alias}_v${++elements}`;
    const condition = element(perElement, (sub) => {
      const name = sub.name.toLowerCase();
      if (name === 'value')
        return { kind: 'column', expr: sql.ref(`${v}.value_norm`), folded: sql.ref(`${v}.value_norm`) };
      if (name === 'primary') return columnRef(v, 'is_primary');
      return columnRef(v, 'type');
    });
    return sql<SqlBool>`${id} IN (SELECT ${sql.ref(`${v}.resource_id`)} FROM ${sql.table(table)} AS ${sql.id(v)} WHERE ${sql.ref(`${v}.workspace_id`)} = ${workspaceId} AND ${sql.ref(`${v}.attribute`)} = ${attr.name} AND ${condition})`;
  }

  function derivedColumn(target: CheckedTarget, sub: AttributeDef): ValueRef {
    if (!sub.column) throw notSearchable({ ...target, sub, leaf: sub });
    return columnRef(
      alias,
      sub.column,
      sub.type === 'string' && !sub.caseExact ? `${sub.column}_norm` : undefined,
    );
  }

  return { top };
}

/**
 * The condition on one element that a resource-level node puts on "some element": the valuePath's
 * filter, or the node itself for `emails.value eq x` / `emails eq x`; undefined for `emails pr`
 * and for simple multi-valued attributes (no sub-attribute).
 */
function elementCondition(
  f: CheckedFilter & { kind: 'present' | 'compare' | 'valuePath' },
): CheckedFilter | undefined {
  if (f.kind === 'valuePath') return f.filter;
  if (!f.target.sub) return undefined;
  return f;
}

/**
 * Whether the values table can answer an element condition exactly: it only has value (lower-cased),
 * type and is_primary, and only rows for elements with a non-empty value, so the condition must
 * require one. `primary eq false` cannot tell false from absent, so only `primary eq true` fits.
 */
function isIndexable(f: CheckedFilter, attr: AttributeDef): boolean {
  const fits = (n: CheckedFilter): boolean => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return fits(n.left) && fits(n.right);
      case 'not':
        return fits(n.filter);
      case 'valuePath':
        return false;
      case 'present':
      case 'compare': {
        const leaf = n.target.leaf;
        const name = leaf.name.toLowerCase();
        if (n.target.sub === undefined || leaf.type === 'complex') return false;
        const textOp = n.kind === 'present' || ['eq', 'co', 'sw', 'ew'].includes(n.op);
        if (name === 'value') return leaf.type === 'string' && !leaf.caseExact && textOp;
        if (name === 'type') return leaf.type === 'string' && textOp;
        if (name === 'primary') return n.kind === 'compare' && n.value.type === 'boolean' && n.value.value;
        return false;
      }
    }
  };
  const requiresValue = (n: CheckedFilter): boolean => {
    switch (n.kind) {
      case 'and':
        return requiresValue(n.left) || requiresValue(n.right);
      case 'or':
        return requiresValue(n.left) && requiresValue(n.right);
      case 'present':
        return n.target.leaf.name.toLowerCase() === 'value';
      case 'compare':
        return (
          n.target.leaf.name.toLowerCase() === 'value' && n.value.type === 'string' && n.value.value !== ''
        );
      default:
        return false;
    }
  };
  return attr.type === 'complex' && fits(f) && requiresValue(f);
}

function notSearchable(target: CheckedTarget): ReturnType<typeof invalidFilter> {
  const name = target.sub ? `${target.attribute.name}.${target.sub.name}` : target.attribute.name;
  return invalidFilter(`"${name}" cannot be used in a filter on this resource type.`);
}
