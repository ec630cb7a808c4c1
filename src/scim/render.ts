import type { ResourceContext } from './resource-types.js';

/** What the renderer needs of a stored resource. */
export interface StoredResource {
  id: string;
  externalId: string | null;
  document: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** RFC 7644 §3.14: meta.version is a weak entity tag. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * Renders a stored resource as its SCIM representation: `schemas` lists the core schema and the
 * extensions present, then id, externalId, the document, the derived attributes, and meta.
 */
export function renderResource(
  r: StoredResource,
  ctx: ResourceContext,
  baseUrl: string,
  derived: Record<string, unknown> = {},
): Record<string, unknown> {
  const schemas = [ctx.core.id];
  for (const ext of ctx.extensions) if (r.document[ext.id] !== undefined) schemas.push(ext.id);
  const out: Record<string, unknown> = { schemas, id: r.id };
  if (r.externalId !== null) out.externalId = r.externalId;
  // A URN key whose extension the workspace no longer has (unregistered) is kept in storage, not shown.
  for (const [k, v] of Object.entries(r.document)) if (!k.includes(':') || schemas.includes(k)) out[k] = v;
  for (const [k, v] of Object.entries(derived)) if (v !== undefined) out[k] = v;
  out.meta = {
    resourceType: ctx.resourceType.name,
    created: r.createdAt,
    lastModified: r.updatedAt,
    location: `${baseUrl}${ctx.resourceType.endpoint}/${r.id}`,
    version: etagOf(r.version),
  };
  return out;
}
