// Command-line flags of `npm run bench -- …`.
import { parseArgs } from 'node:util';
import type { Engine } from '../src/store/db.js';

export interface BenchOptions {
  engines: Engine[];
  users: number;
  members: number;
  duration: number;
  warmup: number;
  connections: number;
  imp: number;
  loader: 'api' | 'fast';
  only: Set<string> | undefined;
  cpuProf: string | undefined;
  quick: boolean;
}

export const HELP = `npm run bench -- [flags]
  --engine sqlite|postgres   one engine (default: both)
  --users N                  workspace size (default 10000; --quick 2000)
  --members M                group size for W5/W5k/W6 (default min(N, 10000); --quick 1000)
  --duration s               seconds per timed workload (default 5; --quick 0.5)
  --connections c            connections of the generator (default 32)
  --imp N                    users (and group members) of the IMP import (default min(N, 10000); --quick 300)
  --loader api|fast          load the workspace by POST /Users or the fast loader (default: api up to 20,000 users; fast above, and with --quick)
  --only W2,W4               run only these workloads (W1 W2 W3s W3 W3w W3c W4 W7 W5 W5k W6 IMP)
  --cpu-prof DIR             run the server under node --cpu-prof, profiles written to DIR
  --quick                    small sizes, about a minute for both engines`;

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

/** Parses the flags; throws with a message on a bad one. */
export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      engine: { type: 'string' },
      users: { type: 'string' },
      members: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      imp: { type: 'string' },
      loader: { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const engine = values.engine;
  if (engine !== undefined && engine !== 'sqlite' && engine !== 'postgres') {
    throw new Error(`--engine must be sqlite or postgres, got "${engine}"`);
  }
  const users = Math.floor(int(values.users, quick ? 2000 : 10_000, 'users'));
  const members = Math.min(
    users,
    Math.floor(int(values.members, quick ? 1000 : Math.min(users, 10_000), 'members')),
  );
  // --quick loads by the fast loader to stay within a minute; W1 and IMP still measure POST /Users.
  const loader = values.loader ?? (quick || users > 20_000 ? 'fast' : 'api');
  if (loader !== 'api' && loader !== 'fast') throw new Error(`--loader must be api or fast, got "${loader}"`);
  const duration = int(values.duration, quick ? 0.5 : 5, 'duration');
  return {
    engines: engine ? [engine] : ['sqlite', 'postgres'],
    users,
    members,
    duration,
    // autocannon runs whole seconds: --quick skips the warm-up to stay within a minute.
    warmup: quick ? 0 : Math.min(2, duration),
    connections: Math.max(1, Math.floor(int(values.connections, 32, 'connections'))),
    imp: Math.floor(int(values.imp, quick ? 300 : Math.min(users, 10_000), 'imp')),
    loader,
    only: values.only ? new Set(values.only.split(',').map((s) => s.trim().toUpperCase())) : undefined,
    cpuProf: values['cpu-prof'],
    quick,
  };
}
