import type { Engine } from './db.js';

// The real differences between the two engines, in one place.

/** True when the error is a unique-constraint violation, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  if (!e || typeof e !== 'object') return false;
  // PostgreSQL: SQLSTATE 23505; better-sqlite3: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY.
  return (
    e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** Whether `SELECT ... FOR UPDATE` exists (SQLite serialises writers instead). */
export function supportsRowLocks(engine: Engine): boolean {
  return engine === 'postgres';
}
