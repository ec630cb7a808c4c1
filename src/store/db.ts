import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** A printable form of the location, without credentials. */
  location: string;
  close(): Promise<void>;
}

// int8 (bigint, count(*)) as a JS number: our counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/** Parses a database URL: `sqlite:./path.db`, `sqlite::memory:`, a bare file path, or `postgres://...`. */
export function parseDatabaseUrl(url: string): { engine: Engine; target: string } {
  if (/^postgres(ql)?:\/\//i.test(url)) return { engine: 'postgres', target: url };
  if (url.startsWith('sqlite:'))
    return { engine: 'sqlite', target: url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') };
  if (url.startsWith('file:')) return { engine: 'sqlite', target: url.slice('file:'.length) };
  return { engine: 'sqlite', target: url };
}

/** Opens the store for a database URL; the caller runs migrations. */
export function openStore(url: string, options: { poolSize?: number } = {}): Store {
  const { engine, target } = parseDatabaseUrl(url);
  if (engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: target, max: options.poolSize ?? 10 });
    // A dropped idle connection must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine, location: redactUrl(target), close: () => db.destroy() };
  }
  const memory = target === ':memory:' || target === '';
  if (!memory) mkdirSync(dirname(resolve(target)), { recursive: true });
  const database = new SQLite(memory ? ':memory:' : target);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma('cache_size = -65536');
  // Checkpoint the WAL every ~40 MB instead of every ~4 MB: fewer syncs on write-heavy imports.
  database.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, engine, location: memory ? 'sqlite::memory:' : `sqlite:${target}`, close: () => db.destroy() };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * Kysely prepares every statement anew; preparing costs more than running most of ours. Statements
 * are cached by SQL text (one connection, so a cached statement is never used twice at once).
 */
function withStatementCache(database: SQLite.Database, capacity = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare: (text: string) => {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = database.prepare(text);
        if (cache.size >= capacity) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
        cache.set(text, stmt);
      }
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}
