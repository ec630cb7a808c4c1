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
  /** Allow webhook URLs that resolve to private, loopback or link-local addresses (WEBHOOK_ALLOW_PRIVATE=1). */
  webhookAllowPrivate: boolean;
  /** Webhook retry schedule: first delay, cap, and how long to keep retrying before a delivery fails (ms). */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  webhookRetryWindowMs: number;
  /** Per-request timeout of a webhook POST (ms) and how often the worker polls for work (ms). */
  webhookTimeoutMs: number;
  webhookPollMs: number;
  /** Retention of the audit log (events) and of the provisioning log, in days. */
  auditRetentionDays: number;
  provisioningLogRetentionDays: number;
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
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1' || env.WEBHOOK_ALLOW_PRIVATE === 'true',
    webhookRetryBaseMs: intFrom(env, 'WEBHOOK_RETRY_BASE_MS', 30_000),
    webhookRetryMaxMs: intFrom(env, 'WEBHOOK_RETRY_MAX_MS', 3_600_000),
    webhookRetryWindowMs: intFrom(env, 'WEBHOOK_RETRY_WINDOW_MS', 24 * 3_600_000),
    webhookTimeoutMs: intFrom(env, 'WEBHOOK_TIMEOUT_MS', 10_000),
    webhookPollMs: intFrom(env, 'WEBHOOK_POLL_MS', 1_000),
    auditRetentionDays: intFrom(env, 'AUDIT_RETENTION_DAYS', 365),
    provisioningLogRetentionDays: intFrom(env, 'PROVISIONING_LOG_RETENTION_DAYS', 30),
  };
  for (const [k, v] of Object.entries(overrides))
    if (v !== undefined) (config as unknown as Record<string, unknown>)[k] = v;
  return config;
}
