import type { Transaction } from 'kysely';
import type { Deps } from '../deps.js';
import { notFound } from '../scim/errors.js';
import { checkIfMatch } from '../scim/etag.js';
import type { Engine } from '../store/db.js';
import type { Database } from '../store/tables.js';
import type { Caller } from './users.js';

/** The store's read of one resource by id (findUser, findGroup); `lock` asks for a row lock. */
export type FindResource<R> = (
  trx: Transaction<Database>,
  engine: Engine,
  workspaceId: string,
  id: string,
  lock: boolean,
) => Promise<R | undefined>;

export interface LockedTarget<R> {
  /** 'User' or 'Group', for the 404 detail. */
  label: string;
  find: FindResource<R>;
  id: string;
  ifMatch: string | undefined;
}

/**
 * The shape of every write to an existing resource: one transaction that reads the row under lock
 * (PostgreSQL; SQLite serialises writers) so concurrent writers of one resource are ordered, answers
 * 404 for ids not in the caller's workspace and 412 when If-Match names another version (RFC 7644
 * §3.14), then runs `write`, which writes and appends its events last.
 */
export async function writeLocked<R extends { version: number }, T>(
  deps: Deps,
  caller: Caller,
  target: LockedTarget<R>,
  write: (trx: Transaction<Database>, current: R) => Promise<T>,
): Promise<T> {
  const { label, find, id, ifMatch } = target;
  return deps.store.db.transaction().execute(async (trx) => {
    const current = await find(trx, deps.store.engine, caller.workspace.id, id, true);
    if (!current) throw notFound(`${label} ${id} not found.`);
    checkIfMatch(ifMatch, current.version);
    return write(trx, current);
  });
}
