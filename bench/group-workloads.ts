// The /Groups workloads: W5 (one member at a time), W5k (1,000 at once), W6 (read a big group),
// and IMP (an Okta-style initial import). They skip with a note while /Groups is not served.
import { loadByApi } from './data.js';
import { call, type Measure, quantile } from './load.js';
import { cpuMs, sampleRss } from './procs.js';
import { type Row, type RunContext, SCIM, selected, timed } from './user-workloads.js';

const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function addMembers(ids: string[]): Record<string, unknown> {
  return {
    schemas: [PATCH_SCHEMA],
    Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
  };
}

/** Creates a group; a status other than 201 comes back as a reason to skip. */
async function createGroup(
  base: string,
  token: string,
  displayName: string,
): Promise<{ id: string } | { skip: string }> {
  const res = await call(base, token, 'POST', `${SCIM}/Groups`, { schemas: [GROUP_SCHEMA], displayName });
  if (res.status === 201 && typeof res.json?.id === 'string') return { id: res.json.id };
  if (res.status === 404) return { skip: 'skipped: POST /Groups answers 404 (groups not served yet)' };
  return { skip: `skipped: POST /Groups answered ${res.status} ${JSON.stringify(res.json?.detail ?? '')}` };
}

/** Sends PATCHes one after another (as IdPs do for one group) and measures them like a load run. */
async function sequentialPatches(ctx: RunContext, groupId: string, batches: string[][]): Promise<Measure> {
  const latencies: number[] = [];
  let errors = 0;
  const rssBefore = sampleRss(ctx.pid)();
  const sampler = sampleRss(ctx.pid);
  const cpu0 = cpuMs(ctx.pid);
  const t0 = performance.now();
  for (const batch of batches) {
    const res = await call(ctx.base, ctx.token, 'PATCH', `${SCIM}/Groups/${groupId}`, addMembers(batch));
    latencies.push(res.ms);
    if (res.status >= 300) errors++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs(ctx.pid) - cpu0;
  return {
    requests: batches.length,
    seconds,
    rps: batches.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    errors,
    cpuPerReq: batches.length ? cpu / batches.length : 0,
    rssPeak: sampler(),
    rssBefore,
    statuses: {},
  };
}

function chunks(ids: string[], size: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** W5, W5k, W6 on one group of M members built from the workspace's users. */
export async function runGroupWorkloads(ctx: RunContext, emit: (row: Row) => void): Promise<void> {
  const wanted = ['W5', 'W5k', 'W6'].filter((id) => selected(ctx.opts, id));
  if (wanted.length === 0) return;
  const group = await createGroup(ctx.base, ctx.token, 'bench-w5');
  if ('skip' in group) {
    for (const id of wanted) emit({ id, label: 'PATCH/GET /Groups/{id}', note: group.skip });
    return;
  }
  const m = Math.min(ctx.opts.members, ctx.users.ids.length);
  const members = ctx.users.ids.slice(0, m);
  const edge = Math.min(100, Math.floor(m / 2));
  const kSamples = Math.max(0, Math.min(5, Math.floor((m - 2 * edge) / 1000)));
  const fillEnd = m - edge - kSamples * 1000;

  const first = await sequentialPatches(ctx, group.id, chunks(members.slice(0, edge), 1));
  const fillT0 = performance.now();
  await sequentialPatches(ctx, group.id, chunks(members.slice(edge, fillEnd), 1000));
  const fillSeconds = (performance.now() - fillT0) / 1000;
  const k = await sequentialPatches(ctx, group.id, chunks(members.slice(fillEnd, m - edge), 1000));
  const last = await sequentialPatches(ctx, group.id, chunks(members.slice(m - edge), 1));
  if (selected(ctx.opts, 'W5')) {
    const ratio = last.p50 / first.p50;
    emit({ id: 'W5', label: `PATCH /Groups add 1 (first ${edge})`, measure: first });
    emit({
      id: 'W5',
      label: `PATCH /Groups add 1 (last ${edge}, M=${m})`,
      measure: last,
      extra: `last/first p50 ${ratio.toFixed(2)}x; fill by 1,000s ${fillSeconds.toFixed(1)} s`,
    });
  }
  if (selected(ctx.opts, 'W5k')) {
    if (kSamples === 0)
      emit({ id: 'W5k', label: 'PATCH /Groups add 1,000', note: `skipped: M=${m} too small` });
    else emit({ id: 'W5k', label: `PATCH /Groups add 1,000 (at ~${m - edge - 1000})`, measure: k });
  }
  if (!selected(ctx.opts, 'W6')) return;
  const empty = await createGroup(ctx.base, ctx.token, 'bench-empty');
  if ('skip' in empty) return emit({ id: 'W6', label: 'GET /Groups/{id}', note: empty.skip });
  const full = await timed(ctx, () => ({ method: 'GET', path: `${SCIM}/Groups/${group.id}` }), {
    connections: Math.min(ctx.opts.connections, 4),
  });
  emit({
    id: 'W6',
    label: `GET /Groups/{id} M=${m} full (4 conns)`,
    measure: full,
    extra: `server RSS +${(full.rssPeak - full.rssBefore).toFixed(0)} MiB over ${full.rssBefore.toFixed(0)}`,
  });
  const x = await timed(ctx, () => ({
    method: 'GET',
    path: `${SCIM}/Groups/${group.id}?excludedAttributes=members`,
  }));
  const e = await timed(ctx, () => ({ method: 'GET', path: `${SCIM}/Groups/${empty.id}` }));
  emit({
    id: 'W6x',
    label: `GET /Groups/{id} M=${m} excl. members`,
    measure: x,
    extra: `p50 ${(x.p50 / e.p50).toFixed(2)}x empty`,
  });
  emit({ id: 'W6e', label: 'GET /Groups/{id} empty group', measure: e });
}

/** IMP: N users by POST (32 connections), then one group of N members in sequential PATCHes of 100. */
export async function runImport(ctx: RunContext, impToken: string, emit: (row: Row) => void): Promise<void> {
  if (!selected(ctx.opts, 'IMP')) return;
  const n = ctx.opts.imp;
  const t0 = performance.now();
  const loaded = await loadByApi(ctx.base, impToken, {
    prefix: 'imp',
    count: n,
    connections: ctx.opts.connections,
    pid: ctx.pid,
  });
  const usersSeconds = (performance.now() - t0) / 1000;
  const group = await createGroup(ctx.base, impToken, 'bench-import');
  const label = `import N=M=${n}`;
  if ('skip' in group) {
    emit({
      id: 'IMP',
      label,
      extra: `users ${usersSeconds.toFixed(1)} s (${(n / usersSeconds).toFixed(0)}/s, ${loaded.errors} errors)`,
      note: `group phase ${group.skip}`,
    });
    return;
  }
  const patches = await sequentialPatches(
    { ...ctx, token: impToken },
    group.id,
    chunks(loaded.ids.filter(Boolean), 100),
  );
  const total = (performance.now() - t0) / 1000;
  emit({
    id: 'IMP',
    label,
    measure: patches,
    extra: `wall ${total.toFixed(1)} s = users ${usersSeconds.toFixed(1)} s (${(n / usersSeconds).toFixed(0)}/s) + group ${patches.seconds.toFixed(1)} s (PATCH p50 ${ms(patches.p50)}); ${loaded.errors} POST errors`,
  });
}
