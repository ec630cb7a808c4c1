import { randomBytes } from 'node:crypto';
import { describe } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { type Config, loadConfig } from '../../src/config.js';
import type { Deps } from '../../src/deps.js';
import type { Clock } from '../../src/lib/clock.js';
import { type Engine, openStore } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export const engines: Engine[] = ['sqlite', 'postgres'];

/** The PostgreSQL server the test runner found or started. */
export function pgServerUrl(): string {
  return process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** A fresh, empty database for one test file: an in-memory SQLite, or a new PostgreSQL database. */
export async function createTestDatabase(
  engine: Engine,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === 'sqlite') return { url: 'sqlite::memory:', drop: async () => {} };
  const server = pgServerUrl();
  const name = `rollcall_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A settable clock for tests (the only thing tests fake). */
export function testClock(start = new Date()): Clock & { set(d: Date): void; advance(ms: number): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set: (d) => {
      now = d.getTime();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** Real deps on a fresh database of the given engine. */
export async function createTestDeps(
  engine: Engine,
  overrides: Partial<Config> = {},
  clock?: Clock,
): Promise<{ deps: Deps; close: () => Promise<void> }> {
  const database = await createTestDatabase(engine);
  const config = loadConfig({ RATE_LIMIT_RPS: '0' }, { databaseUrl: database.url, ...overrides });
  const store = openStore(database.url, { poolSize: 5 });
  await migrateToLatest(store.db as never);
  const deps: Deps = {
    config,
    store,
    clock: clock ?? { now: () => new Date() },
    logger: pino({ level: 'silent' }),
  };
  return {
    deps,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** Runs a suite once per engine: the same contract on SQLite and PostgreSQL. */
export function describeEngines(name: string, fn: (engine: Engine) => void): void {
  for (const engine of engines) describe(`${name} [${engine}]`, () => fn(engine));
}
