/**
 * The SCIM filter AST (RFC 7644 §3.4.2.2). Every filter string is parsed once into these nodes;
 * the store compiles them to SQL and the evaluator runs them in memory.
 */

/** An attribute path as written by the client: optional schema URN, attribute, optional sub-attribute. */
export interface AttrPath {
  /** Schema URN prefix, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`; absent when not written. */
  uri?: string;
  /** Attribute name as written (case preserved; resolution is case-insensitive). */
  attr: string;
  /** Sub-attribute name as written, e.g. `familyName` in `name.familyName`. */
  sub?: string;
}

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterLiteral = string | number | boolean | null;

export type FilterNode =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: FilterLiteral }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: FilterNode; right: FilterNode }
  | { kind: 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; filter: FilterNode }
  /** `emails[type eq "work"]`: `path` names the multi-valued (or complex) attribute, `filter` applies to one element. */
  | { kind: 'valuePath'; path: AttrPath; filter: FilterNode };

/** A PATCH path (RFC 7644 §3.5.2): `attrPath`, or `valuePath` with an optional trailing sub-attribute. */
export interface PatchPath {
  path: AttrPath;
  /** Present for `emails[type eq "work"]` and `emails[type eq "work"].value`. */
  filter?: FilterNode;
  /** The sub-attribute after a value filter: `value` in `emails[type eq "work"].value`. */
  subAfterFilter?: string;
}
