import { ERROR_SCHEMA } from './schema-model.js';

/** RFC 7644 §3.12 scimType values. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

/** The one protocol error. Build it only through the named constructors below, so status and scimType match. */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimType | undefined;
  readonly detail: string;
  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    scimType: ScimType | undefined,
    detail: string,
    headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.detail = detail;
    this.headers = headers;
  }

  /** The RFC 7644 §3.12 error body. */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { schemas: [ERROR_SCHEMA], status: String(this.status) };
    if (this.scimType) body.scimType = this.scimType;
    body.detail = this.detail;
    return body;
  }
}

export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
export const mutability = (detail: string) => new ScimError(400, 'mutability', detail);
export const tooMany = (detail: string) => new ScimError(400, 'tooMany', detail);
export const invalidCursor = (detail: string) => new ScimError(400, 'invalidCursor', detail);
export const invalidCount = (detail: string) => new ScimError(400, 'invalidCount', detail);
export const badRequest = (detail: string) => new ScimError(400, undefined, detail);
export const unauthorized = (detail: string) =>
  new ScimError(401, undefined, detail, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (detail: string) => new ScimError(403, undefined, detail);
export const notFound = (detail: string) => new ScimError(404, undefined, detail);
export const uniqueness = (detail: string) => new ScimError(409, 'uniqueness', detail);
export const preconditionFailed = (detail: string) => new ScimError(412, undefined, detail);
export const payloadTooLarge = (detail: string) => new ScimError(413, undefined, detail);
export const unsupportedMediaType = (detail: string) => new ScimError(415, undefined, detail);
export const tooManyRequests = (detail: string, retryAfterSeconds: number) =>
  new ScimError(429, undefined, detail, { 'Retry-After': String(retryAfterSeconds) });
export const internalError = (detail: string) => new ScimError(500, undefined, detail);
export const notImplemented = (detail: string) => new ScimError(501, undefined, detail);
