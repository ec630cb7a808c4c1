/**
 * Leaf predicates of the filter compiler: one comparison or presence test on one value reference
 * (a column, or a JSON value on SQLite or PostgreSQL). Values are always bound parameters; JSON
 * keys come from the schema and are quoted. Every predicate is true, false or NULL (NULL means no).
 */

import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { CheckedOp, CheckedValue } from '../scim/filter/check.js';
import { type Instant, toStoredText } from '../scim/filter/date-time.js';
import type { AttributeDef } from '../scim/schema-model.js';
import type { Engine } from './db.js';

/** Where a value lives. */
export type ValueRef =
  /** A column; `folded` is its lower-cased form (a `_norm` column, or lower(expr)). */
  | { kind: 'column'; expr: RawBuilder<unknown>; folded: RawBuilder<unknown> }
  /** SQLite: the JSON value at `path` in the JSON text `base`. */
  | { kind: 'sqliteJson'; base: RawBuilder<unknown>; path: string }
  /** SQLite: an element of json_each, through its `type` and `atom` columns. */
  | { kind: 'sqliteAtom'; alias: string }
  /** PostgreSQL: a jsonb expression. */
  | { kind: 'pgJson'; jsonb: RawBuilder<unknown> };

export type JsonKind = 'string' | 'number' | 'boolean' | 'object' | 'array';

export const FALSE: RawBuilder<SqlBool> = sql<SqlBool>`(1 = 0)`;

/** A reference to a column of the row aliased `alias`; case-insensitive strings compare with `normColumn`. */
export function columnRef(alias: string, column: string, normColumn?: string): ValueRef {
  const expr = sql.ref(`${alias}.${column}`);
  return {
    kind: 'column',
    expr,
    folded: normColumn ? sql.ref(`${alias}.${normColumn}`) : sql`lower(${expr})`,
  };
}

/** A reference to the value at `keys` inside the JSON text `base` (a column or a json_each value). */
export function jsonRef(engine: Engine, base: RawBuilder<unknown>, keys: string[]): ValueRef {
  if (engine === 'sqlite') return { kind: 'sqliteJson', base, path: sqlitePath(keys) };
  let jsonb = sql`CAST(${base} AS jsonb)`;
  for (const key of keys) jsonb = sql`(${jsonb} -> ${sql.lit(key)})`;
  return { kind: 'pgJson', jsonb };
}

/** A reference to a key of a jsonb value (PostgreSQL) or of an object element's JSON text (SQLite). */
export function childRef(ref: ValueRef, key: string): ValueRef {
  if (ref.kind === 'pgJson') return { kind: 'pgJson', jsonb: sql`(${ref.jsonb} -> ${sql.lit(key)})` };
  if (ref.kind === 'sqliteJson')
    return { kind: 'sqliteJson', base: ref.base, path: `${ref.path}${sqlitePath([key]).slice(1)}` };
  throw new Error(`childRef: a ${ref.kind} value has no keys`);
}

/** SQLite JSON path with every key quoted: `$."urn:…:User"."manager"`. */
function sqlitePath(keys: string[]): string {
  return `$${keys
    .map((k) => {
      // Schema names never contain quotes or backslashes; refuse rather than mis-quote.
      if (/["\\]/.test(k)) throw new Error(`filter-sql: unsupported JSON key ${JSON.stringify(k)}`);
      return `."${k}"`;
    })
    .join('')}`;
}

const SQLITE_TYPES: Record<JsonKind, string> = {
  string: `'text'`,
  number: `'integer', 'real'`,
  boolean: `'true', 'false'`,
  object: `'object'`,
  array: `'array'`,
};

/** True when the JSON value exists and has this JSON type. */
export function jsonTypeIs(ref: ValueRef, kind: JsonKind): RawBuilder<SqlBool> {
  switch (ref.kind) {
    case 'sqliteJson':
      return sql<SqlBool>`json_type(${ref.base}, ${sql.lit(ref.path)}) IN (${sql.raw(SQLITE_TYPES[kind])})`;
    case 'sqliteAtom':
      return sql<SqlBool>`${sql.ref(`${ref.alias}.type`)} IN (${sql.raw(SQLITE_TYPES[kind])})`;
    case 'pgJson':
      return sql<SqlBool>`jsonb_typeof(${ref.jsonb}) = ${sql.lit(kind)}`;
    case 'column':
      throw new Error('jsonTypeIs: not a JSON reference');
  }
}

/** The JSON scalar as an SQL value (text for strings). */
function scalar(ref: ValueRef): RawBuilder<unknown> {
  switch (ref.kind) {
    case 'sqliteJson':
      return sql`json_extract(${ref.base}, ${sql.lit(ref.path)})`;
    case 'sqliteAtom':
      return sql.ref(`${ref.alias}.atom`);
    case 'pgJson':
      return sql`(${ref.jsonb} #>> '{}')`;
    case 'column':
      return ref.expr;
  }
}

/** `pr` on a single value of type `def.type` (RFC 7644 §3.4.2.2): a non-empty value of the right type. */
export function presentSql(ref: ValueRef, def: AttributeDef): RawBuilder<SqlBool> {
  const kind = jsonKindOf(def);
  if (ref.kind === 'column') {
    return kind === 'string'
      ? sql<SqlBool>`(${ref.expr} IS NOT NULL AND ${ref.expr} <> '')`
      : sql<SqlBool>`(${ref.expr} IS NOT NULL)`;
  }
  if (kind === 'string') return sql<SqlBool>`(${jsonTypeIs(ref, 'string')} AND ${scalar(ref)} <> '')`;
  if (kind !== 'object') return jsonTypeIs(ref, kind);
  if (ref.kind === 'pgJson')
    return sql<SqlBool>`(${jsonTypeIs(ref, 'object')} AND ${ref.jsonb} <> '{}'::jsonb)`;
  const text = ref.kind === 'sqliteAtom' ? sql.ref(`${ref.alias}.value`) : scalar(ref);
  return sql<SqlBool>`(${jsonTypeIs(ref, 'object')} AND ${text} <> '{}')`;
}

/** `pr` on a whole multi-valued attribute: a non-empty array. */
export function nonEmptyArraySql(ref: ValueRef): RawBuilder<SqlBool> {
  if (ref.kind === 'pgJson')
    return sql<SqlBool>`(${jsonTypeIs(ref, 'array')} AND ${ref.jsonb} <> '[]'::jsonb)`;
  if (ref.kind !== 'sqliteJson') throw new Error('nonEmptyArraySql: not a JSON document reference');
  return sql<SqlBool>`(${jsonTypeIs(ref, 'array')} AND json_array_length(${ref.base}, ${sql.lit(ref.path)}) > 0)`;
}

/** One comparison, with the meaning of check.ts and the evaluator. */
export function compareSql(
  engine: Engine,
  ref: ValueRef,
  op: CheckedOp,
  value: CheckedValue,
): RawBuilder<SqlBool> {
  switch (value.type) {
    case 'boolean':
      if (ref.kind === 'column') return sql<SqlBool>`(${ref.expr} = ${value.value ? 1 : 0})`;
      if (ref.kind === 'pgJson')
        return sql<SqlBool>`(${ref.jsonb} = to_jsonb(CAST(${value.value} AS boolean)))`;
      if (ref.kind === 'sqliteAtom')
        return sql<SqlBool>`(${sql.ref(`${ref.alias}.type`)} = ${String(value.value)})`;
      return sql<SqlBool>`(json_type(${ref.base}, ${sql.lit(ref.path)}) = ${String(value.value)})`;
    case 'number': {
      const operator = sql.raw(ORDER_OPERATORS[op as OrderOp]);
      if (ref.kind === 'column') return sql<SqlBool>`(${ref.expr} ${operator} ${value.value})`;
      if (ref.kind === 'pgJson') {
        // jsonb compares numbers numerically and never raises on a stored value of another type.
        return sql<SqlBool>`(${jsonTypeIs(ref, 'number')} AND ${ref.jsonb} ${operator} to_jsonb(CAST(${String(value.value)} AS numeric)))`;
      }
      return sql<SqlBool>`(${jsonTypeIs(ref, 'number')} AND ${scalar(ref)} ${operator} ${value.value})`;
    }
    case 'dateTime': {
      const predicate = dateTimeSql(
        engine,
        ref.kind === 'column' ? ref.expr : scalar(ref),
        op as OrderOp,
        value.value,
      );
      return ref.kind === 'column'
        ? predicate
        : sql<SqlBool>`(${jsonTypeIs(ref, 'string')} AND ${predicate})`;
    }
    case 'string': {
      const text = value.caseExact
        ? scalar(ref)
        : ref.kind === 'column'
          ? ref.folded
          : sql`lower(${scalar(ref)})`;
      const literal = value.caseExact ? value.value : value.value.toLowerCase();
      const predicate = stringSql(engine, text, op, literal, !value.caseExact);
      return ref.kind === 'column'
        ? predicate
        : sql<SqlBool>`(${jsonTypeIs(ref, 'string')} AND ${predicate})`;
    }
  }
}

type OrderOp = 'eq' | 'gt' | 'ge' | 'lt' | 'le';
const ORDER_OPERATORS: Record<OrderOp, string> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };

function stringSql(
  engine: Engine,
  text: RawBuilder<unknown>,
  op: CheckedOp,
  literal: string,
  folded: boolean,
): RawBuilder<SqlBool> {
  if (op === 'co' || op === 'sw' || op === 'ew') {
    const before = op === 'co' || op === 'ew';
    const after = op === 'co' || op === 'sw';
    // SQLite's LIKE ignores ASCII case: fine on folded text, but exact comparisons need GLOB.
    if (engine === 'sqlite' && !folded) {
      const pattern = `${before ? '*' : ''}${escapeGlob(literal)}${after ? '*' : ''}`;
      return sql<SqlBool>`(${text} GLOB ${pattern})`;
    }
    const pattern = `${before ? '%' : ''}${escapeLike(literal)}${after ? '%' : ''}`;
    return sql<SqlBool>`(${text} LIKE ${pattern} ESCAPE '\\')`;
  }
  const operator = sql.raw(ORDER_OPERATORS[op]);
  // Byte order, as in the evaluator, whatever the database's default collation.
  if (engine === 'postgres' && op !== 'eq') return sql<SqlBool>`(${text} COLLATE "C" ${operator} ${literal})`;
  return sql<SqlBool>`(${text} ${operator} ${literal})`;
}

/**
 * Stored timestamps are ISO-8601 text with milliseconds, which sorts as text. A literal finer than
 * a millisecond (Entra's seven digits) lies strictly between two stored values, so `ge` becomes
 * `>` of its millisecond, `lt` becomes `<=`, and `eq` is never true.
 */
function dateTimeSql(
  engine: Engine,
  text: RawBuilder<unknown>,
  op: OrderOp,
  instant: Instant,
): RawBuilder<SqlBool> {
  const bound = toStoredText(instant);
  const exact = instant.rest === '';
  if (op === 'eq' && !exact) return FALSE;
  const effective: OrderOp = exact ? op : op === 'ge' ? 'gt' : op === 'lt' ? 'le' : op;
  const operator = sql.raw(ORDER_OPERATORS[effective]);
  if (engine === 'postgres') return sql<SqlBool>`(${text} COLLATE "C" ${operator} ${bound})`;
  return sql<SqlBool>`(${text} ${operator} ${bound})`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[]/g, (c) => `[${c}]`);
}

/** The JSON type a value of this attribute type has. */
export function jsonKindOf(def: AttributeDef): JsonKind {
  switch (def.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'complex':
      return 'object';
    default:
      return 'string';
  }
}
