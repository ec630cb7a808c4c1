import type { Deps } from '../deps.js';
import { newId } from '../lib/ids.js';
import { insertProvisioningEntries, type ProvisioningEntry } from '../store/provisioning-log.js';

// What an admin reads when provisioning breaks: each SCIM request and its response, redacted.

/** Largest stored request or response body; longer ones are cut (and say so). */
export const MAX_LOGGED_BODY = 64 * 1024;

const IDPS: [RegExp, string][] = [
  [/okta/i, 'okta'],
  [/azure ad|microsoft|entra/i, 'entra'],
  [/onelogin/i, 'onelogin'],
  [/jumpcloud/i, 'jumpcloud'],
  [/google/i, 'google'],
  [/authentik/i, 'authentik'],
  [/keycloak/i, 'keycloak'],
];

/** The identity provider behind a User-Agent (Okta: "Okta SCIM Client 1.0.0"; Entra: "Azure AD…"). */
export function detectIdp(userAgent: string | null | undefined): string {
  if (!userAgent) return 'unknown';
  for (const [pattern, name] of IDPS) if (pattern.test(userAgent)) return name;
  return 'unknown';
}

// Keys whose values are secrets wherever they appear (SCIM password, or credentials some clients echo).
const SECRET_KEYS =
  /^(password|secret|token|access_?token|refresh_?token|client_?secret|api_?key|authorization)$/i;
// Values that look like secrets even under an innocent key: our tokens, webhook secrets, bearer tokens, JWTs.
const SECRET_VALUES = [
  /\brc_[A-Za-z0-9_-]{20,}/g,
  /\bwhsec_[A-Za-z0-9+/=]{16,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

function redactString(s: string): string {
  // PostgreSQL text cannot hold NUL: one such request must not cost the batch its log entries.
  let out = s.replaceAll('\u0000', '\uFFFD');
  for (const re of SECRET_VALUES) out = out.replace(re, '[redacted]');
  return out;
}

/** A deep copy with password values and secret-looking strings replaced by "[redacted]". */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEYS.test(k) && v !== null && v !== undefined ? '[redacted]' : redact(v);
    }
    // A PATCH `replace` of `password` carries the secret in `value`, beside `path: "password"`.
    if (typeof out.path === 'string' && /(^|:|\.)password$/i.test(out.path) && 'value' in out)
      out.value = '[redacted]';
    return out;
  }
  return value;
}

/** Serialises a body for the log: redacted, capped at MAX_LOGGED_BODY. */
export function logBody(body: unknown): string | null {
  if (body === undefined || body === null || body === '') return null;
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = body;
    }
  }
  const text = typeof parsed === 'string' ? redactString(parsed) : JSON.stringify(redact(parsed));
  return text.length > MAX_LOGGED_BODY
    ? `${text.slice(0, MAX_LOGGED_BODY)}…[truncated ${text.length - MAX_LOGGED_BODY} chars]`
    : text;
}

/** The resource a SCIM path names: /Users/{id} or /Groups/{id} (else the created id from the response). */
export function resourceOf(path: string, responseBody: unknown): { type: string | null; id: string | null } {
  const m = /\/(Users|Groups)(?:\/([^/?]+))?/i.exec(path);
  if (!m) return { type: null, id: null };
  const type = m[1]?.toLowerCase() === 'users' ? 'User' : 'Group';
  if (m[2] && m[2] !== '.search') return { type, id: decodeURIComponent(m[2]) };
  const created = responseBody as { id?: unknown } | null;
  return { type, id: created && typeof created.id === 'string' ? created.id : null };
}

export type ProvisioningRecord = Omit<
  ProvisioningEntry,
  'id' | 'idp' | 'requestBody' | 'responseBody' | 'resourceType' | 'resourceId'
> & {
  requestBody: unknown;
  responseBody: unknown;
};

/** Turns what the hook saw into a stored entry: redacted, capped, its resource found. */
function toEntry(r: ProvisioningRecord): ProvisioningEntry {
  let response: unknown = r.responseBody;
  if (typeof response === 'string') {
    try {
      response = JSON.parse(response);
    } catch {
      // not JSON: stored as text
    }
  }
  const resource = resourceOf(r.path, response);
  return {
    ...r,
    id: newId(),
    idp: detectIdp(r.userAgent),
    requestBody: logBody(r.requestBody),
    responseBody: logBody(response),
    resourceType: resource.type,
    resourceId: resource.id,
  };
}

export interface ProvisioningRecorder {
  record(r: ProvisioningRecord): void;
  /** Writes what is queued (also called on shutdown). */
  flush(): Promise<void>;
}

/**
 * Queues entries and writes them in batches, off the request path: one multi-row INSERT per
 * `flushMs` (or per `maxBatch` entries) instead of one transaction per SCIM request.
 */
export function createProvisioningRecorder(
  deps: Deps,
  options: { flushMs?: number; maxBatch?: number } = {},
): ProvisioningRecorder {
  const flushMs = options.flushMs ?? 100;
  const maxBatch = options.maxBatch ?? 250;
  let queue: ProvisioningRecord[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const flush = async (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const batch = queue;
    queue = [];
    if (batch.length > 0) {
      writing = writing.then(async () => {
        const entries = batch.map(toEntry);
        try {
          await insertProvisioningEntries(deps.store.db, entries);
        } catch {
          // One bad entry must not cost the others theirs: retry them one by one.
          for (const entry of entries) {
            await insertProvisioningEntries(deps.store.db, [entry]).catch((e: unknown) =>
              deps.logger.warn({ err: e, path: entry.path }, 'provisioning log entry not written'),
            );
          }
        }
      });
    }
    await writing;
  };

  return {
    record(r) {
      queue.push(r);
      if (queue.length >= maxBatch) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
    },
    flush,
  };
}
