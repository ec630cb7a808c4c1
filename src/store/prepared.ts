import { type Compilable, CompiledQuery } from 'kysely';
import type { Db } from './users.js';

/**
 * A query built once with Kysely and reused: building and compiling a query costs more than
 * running most of our single-row lookups, and these run on every request. `build` receives
 * placeholder parameters, in order, and must use each exactly once as a bound value.
 */
export function prepared<Row, Params extends unknown[]>(
  build: (db: Db, ...params: Params) => Compilable<Row>,
  arity: Params['length'],
): (db: Db, ...params: Params) => Promise<Row[]> {
  const compiled = new WeakMap<object, string>();
  return async (db, ...params) => {
    // A transaction shares its database's dialect, so the compiled text is the same; key by executor.
    const key = db.getExecutor().adapter;
    let text = compiled.get(key);
    if (text === undefined) {
      const marks = Array.from({ length: arity }, (_, i) => `\u0000p${i}`) as unknown as Params;
      const q = build(db, ...marks).compile();
      const order = q.parameters.map((p) => marks.indexOf(p as never));
      if (order.some((i, n) => i !== n)) throw new Error('prepared: parameters must be bound once, in order');
      text = q.sql;
      compiled.set(key, text);
    }
    const result = await db.executeQuery<Row>(CompiledQuery.raw(text, params));
    return result.rows;
  };
}
