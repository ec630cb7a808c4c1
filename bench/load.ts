// The load generator: autocannon driven programmatically in the bench process (the servers run in
// their own processes). Latencies are taken from autocannon's per-response event with fractional
// milliseconds (its own histogram rounds to whole ms), and the server's CPU and memory are read
// from /proc around the run.
import autocannon, { type RequestParams } from 'autocannon';
import { cpuMs, rssMiB, sampleRss } from './procs.js';

export interface LoadSpec {
  url: string;
  token?: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Exactly this many requests. */
  amount?: number;
  /** Builds each request; `context` is per connection. */
  next: (context: Record<string, unknown>) => RequestParams;
  /** Sees each response body (bodies are only buffered when this is given). */
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  /** The server to watch (CPU, memory); none for a warm-up. */
  pid?: number;
}

export interface Measure {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU (user + system) per request, ms. */
  cpuPerReq: number;
  /** Highest sampled server RSS during the run, MiB. */
  rssPeak: number;
  /** Server RSS just before the run, MiB. */
  rssBefore: number;
  statuses: Record<string, number>;
}

/** The q-quantile (0..1) of unsorted samples. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * Waits until the server is idle (under 20% of a core over 100 ms, at most 20 s): requests of a
 * slow previous workload still queued in the server must not be billed to the next one.
 */
export async function settle(pid: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const c0 = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 100));
    if (cpuMs(pid) - c0 < 20) return;
  }
}

/** Runs one load and measures it (after the server has settled). */
export async function runLoad(spec: LoadSpec): Promise<Measure> {
  if (spec.pid) await settle(spec.pid);
  return measureLoad(spec);
}

function measureLoad(spec: LoadSpec): Promise<Measure> {
  const latencies: number[] = [];
  const headers: Record<string, string> = {
    'content-type': 'application/scim+json',
    accept: 'application/scim+json',
  };
  if (spec.token) headers.authorization = `Bearer ${spec.token}`;
  const rssBefore = spec.pid ? rssMiB(spec.pid) : 0;
  const sampler = spec.pid ? sampleRss(spec.pid) : () => 0;
  const cpu0 = spec.pid ? cpuMs(spec.pid) : 0;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 5 }),
        timeout: 60,
        headers,
        requests: [
          {
            setupRequest: (req, context) => ({ ...req, ...spec.next(context) }),
            ...(spec.onResponse ? { onResponse: spec.onResponse } : {}),
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const cpu = spec.pid ? cpuMs(spec.pid) - cpu0 : 0;
        const rssPeak = sampler();
        const total = result.requests.total;
        const statuses: Record<string, number> = {};
        for (const [code, s] of Object.entries(result.statusCodeStats)) statuses[code] = s.count;
        resolve({
          requests: total,
          seconds,
          rps: total / seconds,
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          errors: result.errors + result.non2xx,
          cpuPerReq: total > 0 ? cpu / total : 0,
          rssPeak,
          rssBefore,
          statuses,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
  });
}

/** One request through Node's fetch (undici), for setup and sequential workloads. */
export async function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> | undefined; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, ms };
}
