import { invalidCount, invalidValue } from './errors.js';
import type { FilterNode } from './filter/ast.js';
import { parseFilter } from './filter/parse.js';
import { LIST_RESPONSE } from './schema-model.js';

export interface ListParams {
  filter?: FilterNode;
  /** 1-based (RFC 7644 §3.4.2.4); values below 1 are read as 1. */
  startIndex: number;
  count: number;
  sortBy?: string;
  sortOrder: 'ascending' | 'descending';
  /** RFC 9865 cursor; an empty string asks for the first page in cursor mode. */
  cursor?: string;
}

/** Page size when the client sends no `count` (advertised as pagination.defaultPageSize). */
export const DEFAULT_PAGE_SIZE = 100;

function pick(source: Record<string, unknown>, name: string): unknown {
  if (source[name] !== undefined) return source[name];
  // Entra sends `startindex`: parameter names are matched case-insensitively.
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(source)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function intParam(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const v = Array.isArray(raw) ? raw[0] : raw;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n)) throw invalidValue(`"${name}" must be an integer.`);
  return Math.trunc(n);
}

/** Reads list parameters from a query string or a SearchRequest body (RFC 7644 §3.4.2, §3.4.3; RFC 9865). */
export function readListParams(
  source: Record<string, unknown>,
  maxResults: number,
  defaultCount = DEFAULT_PAGE_SIZE,
): ListParams {
  const filterRaw = pick(source, 'filter');
  const startIndex = intParam(pick(source, 'startIndex'), 'startIndex');
  const countRaw = intParam(pick(source, 'count'), 'count');
  const cursorRaw = pick(source, 'cursor');
  const sortBy = pick(source, 'sortBy');
  const sortOrder = pick(source, 'sortOrder');
  if (countRaw !== undefined && countRaw < 0 && cursorRaw !== undefined)
    throw invalidCount('"count" must not be negative.');
  const params: ListParams = {
    startIndex: startIndex === undefined || startIndex < 1 ? 1 : startIndex,
    // RFC 7644 §3.4.2.4: a negative count is read as 0; more than the maximum is capped.
    count: Math.min(Math.max(countRaw ?? defaultCount, 0), maxResults),
    sortOrder: 'ascending',
  };
  if (typeof filterRaw === 'string' && filterRaw.trim() !== '') params.filter = parseFilter(filterRaw);
  else if (filterRaw !== undefined && filterRaw !== '' && typeof filterRaw !== 'string')
    throw invalidValue('"filter" must be a string.');
  if (typeof sortBy === 'string' && sortBy.trim() !== '') params.sortBy = sortBy.trim();
  if (typeof sortOrder === 'string' && sortOrder.trim() !== '') {
    const o = sortOrder.trim().toLowerCase();
    if (o !== 'ascending' && o !== 'descending')
      throw invalidValue('"sortOrder" must be "ascending" or "descending".');
    params.sortOrder = o;
  }
  if (cursorRaw !== undefined) params.cursor = String(Array.isArray(cursorRaw) ? cursorRaw[0] : cursorRaw);
  return params;
}

/** A ListResponse (RFC 7644 §3.4.2); every number is an integer. */
export function listResponse(
  resources: unknown[],
  totalResults: number,
  startIndex: number | undefined,
  extra: { nextCursor?: string; previousCursor?: string } = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [LIST_RESPONSE],
    totalResults,
    itemsPerPage: resources.length,
  };
  if (startIndex !== undefined) body.startIndex = startIndex;
  if (extra.nextCursor !== undefined) body.nextCursor = extra.nextCursor;
  if (extra.previousCursor !== undefined) body.previousCursor = extra.previousCursor;
  body.Resources = resources;
  return body;
}
