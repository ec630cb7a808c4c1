/**
 * RFC 9865 cursors. A cursor is an opaque, base64url-encoded keyset position (the id of a row and,
 * when the list is sorted, its sort key), plus a short digest that binds it to the sort it was
 * issued for and catches corruption. Positions are not secrets, so no HMAC; and since a position
 * stays meaningful forever (a deleted row is still a place in the order), cursors never expire.
 */

import { createHash } from 'node:crypto';
import { invalidCursor } from './errors.js';

/** The sort key value of a row as the database computed it; null when the row has none. */
export type SortValue = string | number | null;

export interface CursorPosition {
  /** `after`: the page starts after this row (nextCursor); `before`: it ends before it (previousCursor). */
  direction: 'after' | 'before';
  id: string;
  /** Present when the list is sorted by an attribute other than id. */
  value?: SortValue;
}

/**
 * The minimum number of seconds a cursor stays valid (RFC 9865 §4 `cursorTimeout`). Keyset cursors
 * never expire, so any figure is true; a day is advertised as a promise clients can rely on.
 */
export const CURSOR_TIMEOUT_SECONDS = 86_400;

const MAX_CURSOR_LENGTH = 2048;

function digest(payload: string, signature: string): string {
  return createHash('sha256').update(`${payload}|${signature}`).digest('base64url').slice(0, 10);
}

/** Encodes a position for a list whose sort is described by `signature` (e.g. `username|ascending`). */
export function encodeCursor(position: CursorPosition, signature: string): string {
  const tuple: unknown[] = [position.direction === 'after' ? 'a' : 'b', position.id];
  if (position.value !== undefined) tuple.push(position.value);
  const payload = Buffer.from(JSON.stringify(tuple), 'utf8').toString('base64url');
  return `${payload}.${digest(payload, signature)}`;
}

/** Decodes a cursor issued for the same sort; anything else is 400 invalidCursor (RFC 9865 §3). */
export function decodeCursor(text: string, signature: string): CursorPosition {
  const bad = () => invalidCursor('The cursor is not one this server issued for this query.');
  if (text.length > MAX_CURSOR_LENGTH) throw bad();
  const dot = text.indexOf('.');
  if (dot <= 0) throw bad();
  const payload = text.slice(0, dot);
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || digest(payload, signature) !== text.slice(dot + 1)) throw bad();
  let tuple: unknown;
  try {
    tuple = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(tuple) || tuple.length < 2 || tuple.length > 3) throw bad();
  const [dir, id, value] = tuple as [unknown, unknown, unknown];
  if ((dir !== 'a' && dir !== 'b') || typeof id !== 'string' || id === '') throw bad();
  const position: CursorPosition = { direction: dir === 'a' ? 'after' : 'before', id };
  if (tuple.length === 3) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw bad();
    position.value = value as SortValue;
  }
  return position;
}
