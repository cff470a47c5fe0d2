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
