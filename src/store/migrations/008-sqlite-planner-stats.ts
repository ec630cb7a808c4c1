import { type Kysely, SqliteAdapter, sql } from 'kysely';

// SQLite plans without statistics until ANALYZE runs, and its guesses pick the primary key for
// `ORDER BY id LIMIT n` over a selective index: `externalId eq "…"` then scans the whole workspace.
// RFC-style fix from the SQLite docs ("Manual Control Of Query Plans Using SQLITE_STAT Tables"):
// write the statistics of a large directory ourselves, so plans are right from the first row.
// PostgreSQL keeps real statistics (autovacuum ANALYZE) and needs none of this.

const ROWS = 1_000_000;
const PER_WORKSPACE = 100_000;
// Leading columns that do not narrow much; every other column is treated as (nearly) unique.
const COARSE: Record<string, number> = {
  workspace_id: PER_WORKSPACE,
  attribute: PER_WORKSPACE,
  type: 10_000,
  status: 100_000,
};

/** Seeds sqlite_stat1 for every index of the tables that hold tenant data (SQLite only). */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`ANALYZE sqlite_schema`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS sqlite_stat1(tbl, idx, stat)`.execute(db).catch(() => {});
  const indexes = await sql<{ tbl: string; name: string }>`
    SELECT tbl_name AS tbl, name FROM sqlite_schema WHERE type = 'index'`.execute(db);
  await sql`DELETE FROM sqlite_stat1`.execute(db);
  const tables = new Set<string>();
  for (const { tbl, name } of indexes.rows) {
    const cols = await sql<{ name: string }>`SELECT name FROM pragma_index_info(${name})`.execute(db);
    let rows = ROWS;
    const stat = [String(ROWS)];
    for (const c of cols.rows) {
      rows = Math.min(rows, COARSE[c.name] ?? 1);
      stat.push(String(rows));
    }
    await sql`INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES (${tbl}, ${name}, ${stat.join(' ')})`.execute(
      db,
    );
    tables.add(tbl);
  }
  for (const tbl of tables)
    await sql`INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES (${tbl}, NULL, ${String(ROWS)})`.execute(db);
  // Reloads the statistics into the planner.
  await sql`ANALYZE sqlite_schema`.execute(db);
}
