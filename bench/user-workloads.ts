// The /Users workloads: W1 (create), W2 (filter), W3s/W3/W3w/W3c (pages), W4 (read), W7 (replace).
import type { RequestParams } from 'autocannon';
import { type LoadedUsers, userBody } from './data.js';
import { call, type Measure, runLoad } from './load.js';
import type { BenchOptions } from './options.js';

export const SCIM = '/api/v1/auth/scim';

/** One printed line: a measured workload, or a note why it was skipped. */
export interface Row {
  id: string;
  label: string;
  measure?: Measure;
  /** Extra figures for this line (first-100 vs last-100, wall time, memory delta…). */
  extra?: string;
  note?: string;
}

export interface RunContext {
  base: string;
  token: string;
  pid: number;
  users: LoadedUsers;
  opts: BenchOptions;
}

/** Whether a workload was selected with --only. */
export function selected(opts: BenchOptions, id: string): boolean {
  return !opts.only || opts.only.has(id.toUpperCase());
}

function pick<T>(list: T[]): T {
  return list[Math.floor(Math.random() * list.length)] as T;
}

/** A warm-up (unmeasured), then the measured run. */
export async function timed(
  ctx: RunContext,
  next: (context: Record<string, unknown>) => RequestParams,
  options: {
    connections?: number;
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
    duration?: number;
  } = {},
): Promise<Measure> {
  const connections = options.connections ?? ctx.opts.connections;
  const common = {
    url: ctx.base,
    token: ctx.token,
    connections,
    next,
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
  };
  if (ctx.opts.warmup > 0) await runLoad({ ...common, duration: ctx.opts.warmup });
  return runLoad({ ...common, duration: options.duration ?? ctx.opts.duration, pid: ctx.pid });
}

/** Does the server advertise RFC 9865 cursor pagination in /ServiceProviderConfig? */
async function supportsCursor(ctx: RunContext): Promise<boolean> {
  const res = await call(ctx.base, ctx.token, 'GET', `${SCIM}/ServiceProviderConfig`);
  const pagination = res.json?.pagination as { cursor?: unknown } | undefined;
  return res.status === 200 && pagination?.cursor === true;
}

/** Runs the selected /Users workloads in an order that keeps the workspace at N users for the reads. */
export async function runUserWorkloads(ctx: RunContext, emit: (row: Row) => void): Promise<void> {
  const { ids, userNames } = ctx.users;
  const n = ids.length;
  const get = (path: string): RequestParams => ({ method: 'GET', path });

  if (selected(ctx.opts, 'W2')) {
    const m = await timed(ctx, () =>
      get(`${SCIM}/Users?filter=${encodeURIComponent(`userName eq "${pick(userNames)}"`)}`),
    );
    emit({ id: 'W2', label: 'GET /Users?filter=userName eq', measure: m });
  }
  if (selected(ctx.opts, 'W3s')) {
    const m = await timed(ctx, () => get(`${SCIM}/Users?startIndex=1&count=100`));
    emit({ id: 'W3s', label: 'GET /Users first page (100)', measure: m });
  }
  if (selected(ctx.opts, 'W3')) {
    // The last page, asked for directly (not reached by a walk): the server's page cache cannot
    // help, so this is the cold deep page, the OFFSET path if there is one.
    const k = Math.max(1, n - 99);
    const m = await timed(ctx, () => get(`${SCIM}/Users?startIndex=${k}&count=100`));
    emit({ id: 'W3', label: `GET /Users startIndex=${k} (deepest)`, measure: m });
  }
  if (selected(ctx.opts, 'W3w')) {
    // Each connection walks every page by startIndex, as an IdP import does, then starts over.
    const m = await timed(ctx, (c) => {
      const start = typeof c.start === 'number' && c.start <= n ? c.start : 1;
      c.start = start + 100;
      return get(`${SCIM}/Users?startIndex=${start}&count=100`);
    });
    emit({ id: 'W3w', label: 'GET /Users walk by startIndex', measure: m });
  }
  if (selected(ctx.opts, 'W3c')) {
    if (!(await supportsCursor(ctx))) {
      emit({
        id: 'W3c',
        label: 'GET /Users walk by cursor',
        note: 'skipped: /ServiceProviderConfig does not advertise pagination.cursor (RFC 9865)',
      });
    } else {
      const m = await timed(
        ctx,
        (c) =>
          get(
            `${SCIM}/Users?count=100&cursor=${encodeURIComponent(typeof c.cursor === 'string' ? c.cursor : '')}`,
          ),
        {
          onResponse: (_status, body, c) => {
            c.cursor = /"nextCursor"\s*:\s*"([^"]*)"/.exec(body)?.[1];
          },
        },
      );
      emit({ id: 'W3c', label: 'GET /Users walk by cursor', measure: m });
    }
  }
  if (selected(ctx.opts, 'W4')) {
    const m = await timed(ctx, () => get(`${SCIM}/Users/${pick(ids)}`));
    emit({ id: 'W4', label: 'GET /Users/{id}', measure: m });
  }
  if (selected(ctx.opts, 'W7')) {
    let k = 0;
    const m = await timed(ctx, () => {
      const i = Math.floor(Math.random() * n);
      // A different displayName each time, so every PUT is a real change (and an event).
      const body = userBody('user', i, `Bench User ${i} v${k++}`);
      return { method: 'PUT', path: `${SCIM}/Users/${ids[i]}`, body: JSON.stringify(body) };
    });
    emit({ id: 'W7', label: 'PUT /Users/{id}', measure: m });
  }
  if (selected(ctx.opts, 'W1')) {
    // Last of the user workloads: it grows the workspace. Unique userNames across warm-up and run.
    let k = 0;
    const run = Date.now().toString(36);
    const m = await timed(ctx, () => ({
      method: 'POST',
      path: `${SCIM}/Users`,
      body: JSON.stringify(userBody(`w1-${run}-`, k++)),
    }));
    emit({ id: 'W1', label: `POST /Users (${ctx.opts.connections} conns)`, measure: m });
  }
}
