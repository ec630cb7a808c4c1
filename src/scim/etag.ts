import { preconditionFailed } from './errors.js';
import { etagOf } from './render.js';

function tags(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

// RFC 7232 weak comparison: W/"3" matches "3" and W/"3".
function weakEqual(a: string, b: string): boolean {
  return a.replace(/^W\//, '') === b.replace(/^W\//, '');
}

/** RFC 7644 §3.14: a stale If-Match is 412; absent means unconditional (ETags are never required). */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') return;
  const current = etagOf(version);
  if (!tags(ifMatch).some((t) => weakEqual(t, current))) {
    throw preconditionFailed(`The resource has changed: its version is ${current}.`);
  }
}

/** Whether an If-None-Match header matches the current version (a GET then answers 304). */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined || ifNoneMatch.trim() === '') return false;
  if (ifNoneMatch.trim() === '*') return true;
  const current = etagOf(version);
  return tags(ifNoneMatch).some((t) => weakEqual(t, current));
}
