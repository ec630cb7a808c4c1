import { invalidValue } from './errors.js';

/** Parses an attribute list given as a comma-separated string or a JSON array of strings. */
export function parseAttributeList(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (!list || list.some((x) => typeof x !== 'string'))
    throw invalidValue(`"${name}" must be a list of attribute names.`);
  const items = (list as string[]).map((s) => s.trim()).filter(Boolean);
  if (items.length > 100) throw invalidValue(`"${name}" names more than 100 attributes.`);
  return items.length > 0 ? items : undefined;
}
