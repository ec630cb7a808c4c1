import type { Deps } from '../deps.js';
import { buildDeps } from '../main.js';
import { configFor } from './main.js';

/** Runs a command body with freshly built deps (migrated store), closing the store afterwards. */
export async function withDeps<T>(
  options: { database?: string },
  body: (deps: Deps) => Promise<T>,
): Promise<T> {
  const deps = await buildDeps(configFor(options), { logToStderr: true });
  try {
    return await body(deps);
  } finally {
    await deps.store.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const cliActor = { type: 'cli' as const, id: null };
