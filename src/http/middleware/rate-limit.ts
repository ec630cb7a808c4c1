/**
 * A token bucket per key (the API token): `rps` tokens a second, bursts of twice that.
 * In-process by design: each Rollcall process limits what it serves.
 */
/**
 * Failed authentications one client address may make per second (bursts of twice that). Generous on
 * purpose: identity providers send many tenants' traffic from shared addresses, and tokens carry 256
 * bits, so this protects the database from floods rather than the tokens from guessing.
 */
export const FAILED_AUTH_RPS = 20;

export interface RateLimiter {
  /** Takes one request's worth; returns 0 when allowed, else the whole seconds to wait. */
  take(key: string, nowMs: number): number;
  /** The whole seconds to wait before `take` would allow a request (0: allowed now), consuming nothing. */
  peek(key: string, nowMs: number): number;
}

export function createRateLimiter(rps: number, burstFactor = 2): RateLimiter {
  const capacity = Math.max(1, rps * burstFactor);
  const buckets = new Map<string, { tokens: number; at: number }>();
  const waitFor = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / rps));
  return {
    peek(key, nowMs) {
      if (rps <= 0) return 0;
      const b = buckets.get(key);
      if (!b) return 0;
      const tokens = Math.min(capacity, b.tokens + ((nowMs - b.at) / 1000) * rps);
      return tokens >= 1 ? 0 : waitFor(tokens);
    },
    take(key, nowMs) {
      if (rps <= 0) return 0;
      let b = buckets.get(key);
      if (!b) {
        b = { tokens: capacity, at: nowMs };
        buckets.set(key, b);
        if (buckets.size > 100_000) buckets.delete(buckets.keys().next().value as string);
      }
      b.tokens = Math.min(capacity, b.tokens + ((nowMs - b.at) / 1000) * rps);
      b.at = nowMs;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return waitFor(b.tokens);
    },
  };
}
