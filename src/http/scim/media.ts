/** RFC 7644 §3.1: SCIM responses are `application/scim+json`. */
export const SCIM_CONTENT_TYPE = 'application/scim+json';
