import { parseAttributeList } from './attribute-list.js';
import { invalidValue } from './errors.js';
import type { ResourceContext } from './resource-types.js';
import { type AttributeDef, findAttribute } from './schema-model.js';

export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

interface Selector {
  /** The schema URN the attribute belongs to, or null for core/common attributes. */
  urn: string | null;
  attr: string;
  sub?: string;
}

/** Whether a projection names an attribute at all: derived attributes (members, groups) are only fetched when needed. */
export function wantsAttribute(p: Projection, ctx: ResourceContext, name: string): boolean {
  const def = findAttribute(ctx.core.attributes, name);
  if (!def || def.returned === 'never') return false;
  if (p.attributes && p.attributes.length > 0) {
    return parseSelectors(p.attributes, ctx).some(
      (s) => s.urn === null && s.attr.toLowerCase() === name.toLowerCase(),
    );
  }
  if (def.returned === 'request') return false;
  if (p.excludedAttributes && p.excludedAttributes.length > 0) {
    return !parseSelectors(p.excludedAttributes, ctx).some(
      (s) => s.urn === null && s.attr.toLowerCase() === name.toLowerCase() && s.sub === undefined,
    );
  }
  return true;
}

function parseSelectors(list: string[], ctx: ResourceContext): Selector[] {
  const out: Selector[] = [];
  const urns = [ctx.core, ...ctx.extensions].map((s) => s.id);
  for (const raw of list) {
    const item = raw.trim();
    if (!item) continue;
    let urn: string | null = null;
    let rest = item;
    const match = urns.find(
      (u) => item.toLowerCase().startsWith(`${u.toLowerCase()}:`) || item.toLowerCase() === u.toLowerCase(),
    );
    if (match) {
      urn = match === ctx.core.id ? null : match;
      rest = item.length > match.length ? item.slice(match.length + 1) : '';
    }
    const [attr = '', sub] = rest.split('.', 2);
    out.push(sub === undefined ? { urn, attr } : { urn, attr, sub });
  }
  return out;
}

function returnedOf(def: AttributeDef | undefined): AttributeDef['returned'] {
  return def?.returned ?? 'default';
}

/**
 * Applies RFC 7644 §3.4.2.5 `attributes` / `excludedAttributes` to a rendered resource:
 * `returned: always` attributes (id, schemas…) survive both, `never` ones never appear,
 * `request` ones only when named.
 */
export function projectResource(
  resource: Record<string, unknown>,
  p: Projection,
  ctx: ResourceContext,
): Record<string, unknown> {
  // Nothing asked for and nothing to hide: the resource as rendered (the common case, on every list).
  if (!p.attributes?.length && !p.excludedAttributes?.length && !hasHiddenAttributes(ctx)) return resource;
  const include = p.attributes && p.attributes.length > 0 ? parseSelectors(p.attributes, ctx) : null;
  const exclude =
    !include && p.excludedAttributes && p.excludedAttributes.length > 0
      ? parseSelectors(p.excludedAttributes, ctx)
      : null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') {
      out[key] = value;
      continue;
    }
    const ext = ctx.extensions.find((e) => e.id === key);
    if (ext) {
      const sub = projectObject(value as Record<string, unknown>, ext.attributes, ext.id, include, exclude);
      if (sub && Object.keys(sub).length > 0) out[key] = sub;
      continue;
    }
    const def = findAttribute(ctx.core.attributes, key) ?? findAttribute(ctx.common, key);
    const kept = keepAttribute(def, key, value, null, include, exclude);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

function projectObject(
  obj: Record<string, unknown>,
  defs: AttributeDef[],
  urn: string,
  include: Selector[] | null,
  exclude: Selector[] | null,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const kept = keepAttribute(findAttribute(defs, key), key, value, urn, include, exclude);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

function keepAttribute(
  def: AttributeDef | undefined,
  key: string,
  value: unknown,
  urn: string | null,
  include: Selector[] | null,
  exclude: Selector[] | null,
): unknown {
  const returned = returnedOf(def);
  if (returned === 'never') return undefined;
  if (returned === 'always') return value;
  const lower = key.toLowerCase();
  const mine = (s: Selector) => s.urn === urn && s.attr.toLowerCase() === lower;
  if (include) {
    const hits = include.filter(mine);
    if (hits.length === 0) return undefined;
    if (hits.some((h) => h.sub === undefined)) return value;
    return pickSubs(
      value,
      hits.map((h) => h.sub as string),
      def,
      true,
    );
  }
  if (returned === 'request') return undefined;
  if (exclude) {
    const hits = exclude.filter(mine);
    if (hits.some((h) => h.sub === undefined)) return undefined;
    if (hits.length > 0)
      return pickSubs(
        value,
        hits.map((h) => h.sub as string),
        def,
        false,
      );
  }
  return value;
}

function pickSubs(value: unknown, subs: string[], def: AttributeDef | undefined, keep: boolean): unknown {
  const lowered = subs.map((s) => s.toLowerCase());
  const pick = (obj: unknown) => {
    if (typeof obj !== 'object' || obj === null) return obj;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const sub = findAttribute(def?.subAttributes, k);
      const always = sub?.returned === 'always';
      if (always || lowered.includes(k.toLowerCase()) === keep) out[k] = v;
    }
    return out;
  };
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

/** Reads `attributes` / `excludedAttributes` from query parameters or a SearchRequest body. */
export function readProjection(source: Record<string, unknown>): Projection {
  const p: Projection = {};
  const attrs = parseAttributeList(source.attributes, 'attributes');
  const excluded = parseAttributeList(source.excludedAttributes, 'excludedAttributes');
  if (attrs) p.attributes = attrs;
  if (excluded) p.excludedAttributes = excluded;
  if (p.attributes && p.excludedAttributes) {
    throw invalidValue('"attributes" and "excludedAttributes" cannot be used together.');
  }
  return p;
}

const hidden = new WeakMap<ResourceContext, boolean>();

/**
 * Whether a stored document of this resource type can hold an attribute that a default response
 * must leave out (`returned: never` or `request`); derived ones are never stored.
 */
function hasHiddenAttributes(ctx: ResourceContext): boolean {
  let v = hidden.get(ctx);
  if (v === undefined) {
    const hides = (a: AttributeDef): boolean =>
      !a.derived &&
      (a.returned === 'never' || a.returned === 'request' || (a.subAttributes ?? []).some(hides));
    v = [ctx.core, ...ctx.extensions].some((schema) => schema.attributes.some(hides));
    hidden.set(ctx, v);
  }
  return v;
}
