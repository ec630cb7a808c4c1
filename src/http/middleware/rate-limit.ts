/**
 * A token bucket per key (the API token): `rps` tokens a second, bursts of twice that.
 * In-process by design: each Rollcall process limits what it serves.
 */
export interface RateLimiter {
  /** Takes one request's worth; returns 0 when allowed, else the whole seconds to wait. */
  take(key: string, nowMs: number): number;
}

export function createRateLimiter(rps: number, burstFactor = 2): RateLimiter {
  const capacity = Math.max(1, rps * burstFactor);
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
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
      return Math.max(1, Math.ceil((1 - b.tokens) / rps));
    },
  };
}
