/** Typed, validated configuration, read from the environment once. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** Requests per second per token; 0 turns rate limiting off. Bursts of twice this are allowed. */
  rateLimitRps: number;
  /** Largest accepted request body, in bytes (SCIM bulk has its own advertised limit). */
  bodyLimit: number;
  logLevel: string;
  /** The externally visible base URL (scheme://host[:port]) when behind a proxy; else taken from the request. */
  publicUrl: string | null;
  /** Maximum page size for list responses (advertised as filter.maxResults). */
  maxResults: number;
}

export const defaultDatabaseUrl = 'sqlite:./data/rollcall.db';

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

/** Builds the config from the environment, with explicit overrides (CLI flags) taking precedence. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config: Config = {
    port: intFrom(env, 'PORT', 8080),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || defaultDatabaseUrl,
    rateLimitRps: intFrom(env, 'RATE_LIMIT_RPS', 100),
    bodyLimit: intFrom(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    logLevel: env.LOG_LEVEL || 'info',
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : null,
    maxResults: intFrom(env, 'SCIM_MAX_RESULTS', 1000),
  };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (config as unknown as Record<string, unknown>)[k] = v;
  return config;
}
