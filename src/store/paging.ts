/**
 * Sorting and keyset paging for resource lists (RFC 7644 §3.4.2.3, RFC 9865), shared by Users and
 * Groups. The order is always total: the sort key (nulls last, in both directions), then the
 * immutable id. A keyset position (id, sort value) then names one place in that order, so a walk
 * never skips or repeats a live row while others are deleted.
 */

import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { SortValue } from '../scim/cursor.js';
import { invalidValue, ScimError } from '../scim/errors.js';
import { parsePatchPath } from '../scim/filter/parse.js';
import { leafOf, resolveAttrPath, type SchemaContext } from '../scim/paths.js';
import type { Engine } from './db.js';

/** How a list is sorted: an SQL expression over the row (undefined: id order) and a direction. */
export interface SortKey {
  /** The sort expression on the row aliased `alias`; undefined sorts by id alone. */
  expr?: RawBuilder<unknown>;
  descending: boolean;
  /** The expression is never NULL (a NOT NULL column): no nulls-last term, so its index serves the order. */
  notNull?: boolean;
}

/** A keyset position: a row's id and, for sorted lists, its sort value. */
export interface KeysetPosition {
  id: string;
  value?: SortValue;
}

/** A keyset page: rows strictly after `after` in the order (or in the reversed order when `reverse`). */
export interface KeysetQuery {
  sort?: SortKey;
  after?: KeysetPosition;
  /** Walk the order backwards (a previousCursor page); rows come back in reversed order. */
  reverse?: boolean;
}

function jsonKeysGuard(keys: string[]): void {
  // Schema names never contain quotes or backslashes; refuse rather than mis-quote.
  for (const k of keys) if (/["\\]/.test(k)) throw invalidValue(`"${k}" cannot be sorted on.`);
}

/** The JSON scalar at `keys` in the row's document, as a sortable SQL value of the attribute's type. */
function jsonSortExpr(
  engine: Engine,
  alias: string,
  keys: string[],
  type: string,
  fold: boolean,
): RawBuilder<unknown> {
  jsonKeysGuard(keys);
  const data = sql.ref(`${alias}.data`);
  if (engine === 'sqlite') {
    const path = `$${keys.map((k) => `."${k}"`).join('')}`;
    const v = sql`json_extract(${data}, ${sql.lit(path)})`;
    return fold ? sql`lower(${v})` : v;
  }
  const jsonb = sql`(CAST(${data} AS jsonb) #> ${sql.lit(`{${keys.map((k) => `"${k}"`).join(',')}}`)})`;
  if (type === 'integer' || type === 'decimal') {
    // A non-number (a client's stray string) sorts as absent instead of failing the cast.
    return sql`(CASE WHEN jsonb_typeof(${jsonb}) = 'number' THEN (${jsonb} #>> '{}')::numeric END)`;
  }
  const text = sql`(${jsonb} #>> '{}')`;
  return fold ? sql`lower(${text})` : text;
}

// The NOT NULL columns of each resource table that attributes map to (see migrations/001-initial.ts).
const NOT_NULL_COLUMNS: Record<'users' | 'groups', string[]> = {
  users: ['user_name_norm', 'user_name', 'active', 'created_at', 'updated_at'],
  groups: ['display_name_norm', 'display_name', 'created_at', 'updated_at'],
};

/**
 * Resolves `sortBy` to a sort expression: a dedicated column (its `_norm` copy for case-insensitive
 * strings), else the JSON document. Multi-valued, complex and derived attributes are 400 invalidValue.
 */
export function resolveSortKey(
  sortBy: string | undefined,
  sortOrder: 'ascending' | 'descending',
  opts: { engine: Engine; ctx: SchemaContext; alias: string; table?: 'users' | 'groups' },
): SortKey {
  const descending = sortOrder === 'descending';
  if (sortBy === undefined) return { descending };
  let parsed: ReturnType<typeof parsePatchPath>;
  try {
    parsed = parsePatchPath(sortBy);
  } catch (e) {
    if (e instanceof ScimError) throw invalidValue(`"sortBy" is not an attribute path: ${e.detail}`);
    throw e;
  }
  const resolved = parsed.filter ? undefined : resolveAttrPath(parsed.path, opts.ctx);
  if (!resolved) throw invalidValue(`"sortBy": unknown attribute "${sortBy}".`);
  const leaf = leafOf(resolved);
  const notSortable = () => invalidValue(`"sortBy": "${sortBy}" is not a sortable attribute.`);
  if (resolved.attribute.multiValued || leaf.type === 'complex' || leaf.sortable === false)
    throw notSortable();
  const fold = leaf.type === 'string' && !leaf.caseExact;
  if (leaf.column) {
    if (leaf.column === 'id') return { descending };
    const column = fold ? `${leaf.column}_norm` : leaf.column;
    const notNull = NOT_NULL_COLUMNS[opts.table ?? 'users'].includes(column);
    return { expr: sql.ref(`${opts.alias}.${column}`), descending, notNull };
  }
  if (resolved.attribute.derived || leaf.derived || leaf.type === 'binary') throw notSortable();
  return { expr: jsonSortExpr(opts.engine, opts.alias, resolved.documentKeys, leaf.type, fold), descending };
}

/** A short text naming the sort, that cursors are bound to. */
export function sortSignature(sortBy: string | undefined, sortOrder: string): string {
  return `${(sortBy ?? 'id').toLowerCase()}|${sortOrder}`;
}

interface Term {
  expr: RawBuilder<unknown>;
  descending: boolean;
  value: unknown;
}

function nullFlag(expr: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(CASE WHEN ${expr} IS NULL THEN 1 ELSE 0 END)`;
}

// The order as terms: [null flag, key] when sorted, then id; all flipped when walking backwards.
function terms(alias: string, q: KeysetQuery, position?: KeysetPosition): Term[] {
  const flip = q.reverse === true;
  const desc = q.sort?.descending === true;
  const out: Term[] = [];
  const expr = q.sort?.expr;
  if (expr && q.sort?.notNull) {
    out.push({ expr, descending: desc !== flip, value: position?.value ?? null });
  } else if (expr) {
    const isNull = position ? position.value === null || position.value === undefined : false;
    out.push({ expr: nullFlag(expr), descending: flip, value: isNull ? 1 : 0 });
    // Rows tied on a null flag of 1 all have a null key: the key term then decides nothing.
    if (!isNull) out.push({ expr, descending: desc !== flip, value: position?.value ?? null });
  }
  out.push({ expr: sql.ref(`${alias}.id`), descending: desc !== flip, value: position?.id });
  return out;
}

/** ORDER BY terms for the row aliased `alias`: apply each with `query.orderBy(expr, direction)`. */
export function orderTerms(
  alias: string,
  q: KeysetQuery,
): { expr: RawBuilder<unknown>; direction: 'asc' | 'desc' }[] {
  const flip = q.reverse === true;
  const desc = q.sort?.descending === true;
  const out: { expr: RawBuilder<unknown>; direction: 'asc' | 'desc' }[] = [];
  const expr = q.sort?.expr;
  if (expr) {
    if (!q.sort?.notNull) out.push({ expr: nullFlag(expr), direction: flip ? 'desc' : 'asc' });
    out.push({ expr, direction: desc !== flip ? 'desc' : 'asc' });
  }
  out.push({ expr: sql.ref(`${alias}.id`), direction: desc !== flip ? 'desc' : 'asc' });
  return out;
}

/** The condition "strictly after `q.after` in the order": a lexicographic comparison over the terms. */
export function keysetCondition(
  alias: string,
  q: KeysetQuery & { after: KeysetPosition },
): RawBuilder<SqlBool> {
  const list = terms(alias, q, q.after);
  const first = list[0] as Term;
  if (list.every((t) => t.descending === first.descending)) {
    // One direction throughout: a row-value comparison, which both engines answer with an index range.
    const exprs = sql.join(list.map((t) => t.expr));
    const values = sql.join(list.map((t) => sql`${t.value}`));
    return first.descending
      ? sql<SqlBool>`((${exprs}) < (${values}))`
      : sql<SqlBool>`((${exprs}) > (${values}))`;
  }
  let condition: RawBuilder<SqlBool> | undefined;
  // Built from the last term outwards: t_i beyond v_i, or t_i = v_i and (the rest).
  for (let i = list.length - 1; i >= 0; i--) {
    const t = list[i] as Term;
    const beyond = t.descending ? sql<SqlBool>`${t.expr} < ${t.value}` : sql<SqlBool>`${t.expr} > ${t.value}`;
    condition = condition ? sql<SqlBool>`(${beyond} OR (${t.expr} = ${t.value} AND ${condition}))` : beyond;
  }
  return condition as RawBuilder<SqlBool>;
}

/** The sort key value to select alongside each row (so cursors carry exactly what the database compares). */
export function sortValueSelect(q: KeysetQuery): RawBuilder<unknown> {
  return q.sort?.expr ?? sql`NULL`;
}

/** Normalises a selected sort value for a cursor (drivers return numerics as text or numbers). */
export function toSortValue(raw: unknown): SortValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number' || typeof raw === 'string') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  return String(raw);
}

/** From this OFFSET on, id-ordered pages find their first id on the index first (a "late row lookup"). */
export const LATE_LOOKUP_OFFSET = 1_000;
