import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as m001 from './migrations/001-initial.js';
import * as m002 from './migrations/002-groups-roles.js';
import * as m003 from './migrations/003-webhooks-logs.js';
import * as m004 from './migrations/004-console.js';
import * as m005 from './migrations/005-extensions.js';
import * as m006 from './migrations/006-console-logs.js';
import * as m007 from './migrations/007-counters.js';
import * as m008 from './migrations/008-sqlite-planner-stats.js';

// Migrations are imported statically (not read from disk) so they work the same from any working directory.
const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-groups-roles': m002,
  '003-webhooks-logs': m003,
  '004-console': m004,
  '005-extensions': m005,
  '006-console-logs': m006,
  '007-counters': m007,
  '008-sqlite-planner-stats': m008,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the database schema up to date; safe to run from several processes at once (Kysely locks). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'rollcall_migrations',
    migrationLockTableName: 'rollcall_migrations_lock',
    // Migrations are independent of each other; a database that got a later one first still takes the rest.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
