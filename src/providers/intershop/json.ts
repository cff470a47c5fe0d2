import type { z } from 'zod';
import { providerUnavailable } from '../../domain/errors.js';

/*
 * ICM's JSON read with `null` as absent. The seed leaves a field out of a state that has none
 * (`{"status": "COMPLETED"}`, a Redirect stop without `exitReason`, §3.1's payment without
 * `status`); ICM is a Java server, and a Java serializer writes such a field as `null` unless told
 * otherwise. Both say the same, so a `null` member is dropped before the shapes are checked (a
 * `null` inside a list, or a whole answer of `null`, is still malformed). Pure.
 */

const PROVIDER = 'Intershop';

/** Drops object members whose value is `null`; keeps everything else. */
function nullAsAbsent(this: unknown, key: string, value: unknown): unknown {
  return value === null && key !== '' && !Array.isArray(this) ? undefined : value;
}

/** An ICM answer in `schema`'s shape, or PROVIDER_UNAVAILABLE (unreadable JSON or another shape). */
export function parseIcm<T>(schema: z.ZodType<T>, text: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text, nullAsAbsent);
  } catch (error) {
    throw providerUnavailable(PROVIDER, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw providerUnavailable(PROVIDER, parsed.error);
  return parsed.data;
}
