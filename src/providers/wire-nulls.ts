import { z } from 'zod';

/**
 * A JSON object whose null fields are read as absent. Where no seed shows an answer, a serialiser
 * that writes every field of its model (null where unset: `"transaction_id": null` on a session
 * nobody paid yet) is as likely as one that leaves them out. A required field that is null is
 * still missing, so this loosens nothing the reader needs.
 */
export function nullFieldsAbsent<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (json) => (json !== null && typeof json === 'object' && !Array.isArray(json) ? Object.fromEntries(Object.entries(json).filter(([, value]) => value !== null)) : json),
    schema,
  );
}

/** Null, undefined, or a string of nothing but blanks: a field a serialiser left unset. */
export function isUnset(value: unknown): boolean {
  return value == null || (typeof value === 'string' && value.trim() === '');
}

/**
 * A field that comes unset as absent, null, or a blank string: the zero value a serialiser writes
 * for every field of its model where no seed says it leaves them out (Go without omitempty,
 * .NET's defaults, a Java model's nulls). All three are absent here, so an answer is not
 * unreadable for it, and a blank never counts as a value (a `number: ""` is not another order's
 * number, a `mandateId: ""` not a mandate).
 */
export function blankAsAbsent<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (isUnset(value) ? undefined : value), schema.optional());
}

/**
 * An answer about the one resource its path names (`GET /things/{id}`): one that does not repeat
 * its own `id` (absent or null) is that resource. An id it does give is read as given.
 */
export function idFromPath<T extends z.ZodType>(id: string, schema: T) {
  return z.preprocess(
    (json) => (json !== null && typeof json === 'object' && !Array.isArray(json) && (json as { id?: unknown }).id == null ? { ...json, id } : json),
    schema,
  );
}

/**
 * A JSON.parse reviver that drops object members whose value is `null`, at any depth (a `null`
 * inside a list, or a whole body of `null`, is kept: still malformed where a value is needed).
 */
export function nullMembersAbsent(this: unknown, key: string, value: unknown): unknown {
  return value === null && key !== '' && !Array.isArray(this) ? undefined : value;
}
