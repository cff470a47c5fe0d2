import type { z } from 'zod';
import { badInput } from '../domain/errors.js';

/**
 * A provider's own CreateOrderInput options (`input.<field>`), read with the schema in its
 * `options.ts`: the one declaration of their shape, which schema/inputs.ts implements the GraphQL
 * input against. GraphQL has already checked the types, so a mismatch here is a bug in one of the
 * two; it is still answered as BAD_USER_INPUT naming the field, never a crash. Undefined when absent.
 */
export function readOptions<T>(schema: z.ZodType<T>, value: unknown, field: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [field, ...(issue?.path ?? []).map(String)].join('.');
  throw badInput(path, `${path}: ${issue?.message ?? 'not what this provider takes'}`);
}
