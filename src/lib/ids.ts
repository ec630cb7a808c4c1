import { v7 } from 'uuid';

/** A new opaque, immutable, time-ordered identifier (UUIDv7, RFC 9562). */
export function newId(): string {
  return v7();
}
