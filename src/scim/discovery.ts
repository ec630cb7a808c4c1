/**
 * Discovery documents (RFC 7643 §5–§7, RFC 7644 §4, RFC 9865 §4), built from the schema model and
 * the server's real limits. Pure: the HTTP layer passes the contexts of the caller's workspace.
 */

import type { ResourceContext } from './resource-types.js';
import type { AttributeDef, ResourceTypeDef, SchemaDef } from './schema-model.js';

export const SERVICE_PROVIDER_CONFIG = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** What the server really does; every field is read from config or from the feature's own constants. */
export interface Capabilities {
  /** Bulk limits, or null while /Bulk is not served. */
  bulk: { maxOperations: number; maxPayloadSize: number } | null;
  /** Largest page (config.maxResults). */
  maxResults: number;
  /** Page size when the client sends no `count`. */
  defaultPageSize: number;
  /** RFC 9865 cursors supported, and the minimum seconds a cursor stays valid. */
  cursor: { timeoutSeconds: number } | null;
  documentationUri?: string;
}

/** RFC 7643 §5: the ServiceProviderConfig of this server. */
export function serviceProviderConfig(caps: Capabilities, baseUrl: string): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [SERVICE_PROVIDER_CONFIG] };
  if (caps.documentationUri) body.documentationUri = caps.documentationUri;
  Object.assign(body, {
    patch: { supported: true },
    bulk: caps.bulk
      ? { supported: true, maxOperations: caps.bulk.maxOperations, maxPayloadSize: caps.bulk.maxPayloadSize }
      : { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: caps.maxResults },
    // Rollcall never stores passwords (RFC 7643 §4.1.1 `password` is accepted and discarded).
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A workspace API token with the "scim" scope, sent as "Authorization: Bearer rc_…".',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    // RFC 9865 §4: both methods work; index is the default because every client speaks it.
    pagination: {
      cursor: caps.cursor !== null,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: Math.min(caps.defaultPageSize, caps.maxResults),
      maxPageSize: caps.maxResults,
      ...(caps.cursor ? { cursorTimeout: caps.cursor.timeoutSeconds } : {}),
    },
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  });
  return body;
}

/** RFC 7643 §6: one ResourceType resource. */
export function resourceTypeResource(rt: ResourceTypeDef, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE],
    id: rt.id,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema,
    schemaExtensions: rt.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${rt.id}` },
  };
}

/** The resource types of a workspace, in a stable order (User, Group). */
export function resourceTypes(contexts: ResourceContext[], baseUrl: string): Record<string, unknown>[] {
  return contexts.map((c) => resourceTypeResource(c.resourceType, baseUrl));
}

/** RFC 7643 §7: an attribute definition, without Rollcall's private storage hints. */
export function attributeDefinition(a: AttributeDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
  };
  if (a.canonicalValues && a.canonicalValues.length > 0) out.canonicalValues = [...a.canonicalValues];
  if (a.type === 'string' || a.type === 'reference' || a.type === 'binary') out.caseExact = a.caseExact;
  out.mutability = a.mutability;
  out.returned = a.returned;
  out.uniqueness = a.uniqueness;
  if (a.type === 'reference') out.referenceTypes = [...(a.referenceTypes ?? ['external'])];
  if (a.type === 'complex') out.subAttributes = (a.subAttributes ?? []).map(attributeDefinition);
  return out;
}

/** RFC 7643 §7: one Schema resource. */
export function schemaResource(s: SchemaDef, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map(attributeDefinition),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${s.id}` },
  };
}

/** Every schema the workspace's resource types use, each once (core schemas first, then extensions). */
export function schemasOf(contexts: ResourceContext[]): SchemaDef[] {
  const seen = new Set<string>();
  const out: SchemaDef[] = [];
  for (const s of [...contexts.map((c) => c.core), ...contexts.flatMap((c) => c.extensions)]) {
    const key = s.id.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** Finds a schema by URN, case-insensitively. */
export function findSchemaById(contexts: ResourceContext[], urn: string): SchemaDef | undefined {
  const lower = urn.toLowerCase();
  return schemasOf(contexts).find((s) => s.id.toLowerCase() === lower);
}
